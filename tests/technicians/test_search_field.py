"""`{% search_field field %}` writes a field of the directory's search form (and of the profile
and staff-list forms) in Python: exactly what the template it replaced wrote, for every kind of
field, bound or not, valid or not, swapped out of band or not."""

import pytest
from django.template import engines

from tests.form_fields import fields

# The template those forms included per field, until the tag replaced it.
TEMPLATE = """<div class="field{% if field.errors %} field-error{% endif %}" id="field-{{ field.name }}"{% if oob %} hx-swap-oob="true"{% endif %}>
  <label for="{{ field.id_for_label }}">{{ field.label }}</label>
  {% if field.help_text %}<span class="helptext" id="{{ field.auto_id }}_helptext">{{ field.help_text }}</span>{% endif %}
  {{ field.errors }}
  {{ field }}
</div>
"""  # noqa: E501 (the template as it was)


@pytest.mark.parametrize("oob", [False, True])
@pytest.mark.parametrize("field", list(fields()), ids=lambda field: field.html_name)
def test_the_tag_writes_what_the_template_wrote(field, oob):
    written = engines["django"].from_string(
        "{% load technician_tags %}{% search_field field oob=oob %}"
    )
    context = {"field": field, "oob": oob}
    assert written.render(context) == engines["django"].from_string(TEMPLATE).render(context)
