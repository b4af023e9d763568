"""`portal.markup.escaped` writes what a template writes for `{{ value }}`."""

import pytest
from django.template import Context, Template
from django.utils.functional import lazy
from django.utils.safestring import mark_safe

from portal.markup import escaped

lazy_text = lazy(lambda: "<b>Lazy & \"quoted\" 'text'</b>", str)


@pytest.mark.parametrize(
    "value",
    [
        "plain",
        "<script>alert('x') & \"y\"</script>",
        mark_safe("<em>already safe</em>"),
        lazy_text(),
        42,
        None,
    ],
    ids=["plain", "markup", "safe", "lazy", "number", "none"],
)
def test_it_is_what_a_template_writes(value):
    assert escaped(value) == Template("{{ value }}").render(Context({"value": value}))
