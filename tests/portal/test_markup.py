"""`portal.markup.escaped` writes what a template writes for `{{ value }}`, and
`portal.markup.clipped` (the `clip` filter) what `truncatechars` writes."""

import pytest
from django.template import Context, Template
from django.template.defaultfilters import truncatechars
from django.utils.functional import lazy
from django.utils.safestring import mark_safe

from portal.markup import clipped, escaped

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


CLIPPED_TEXTS = [
    "",
    "Short note",
    "x" * 80,
    "x" * 81,
    "A long note. " * 20,
    "cafe\u0301 au lait",  # combining accent: NFC, as the filter writes it
    "e\u0301" * 80,  # 160 code points, 80 characters once composed
    "<b>bold</b> & more " * 6,
    "\u00e9\u0301" * 50,
]


@pytest.mark.parametrize("text", CLIPPED_TEXTS)
@pytest.mark.parametrize("length", [1, 10, 80, 120])
def test_clip_writes_what_truncatechars_writes(text, length):
    assert clipped(text, length) == truncatechars(text, length)
    written = Template("{% load portal_tags %}{{ text|clip:" + str(length) + " }}").render(
        Context({"text": text})
    )
    assert written == Template("{{ text|truncatechars:" + str(length) + " }}").render(
        Context({"text": text})
    )
