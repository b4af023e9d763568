"""`{% form_field field %}` writes a form's field (label, "(optional)", errors, widget, help
text) in Python: exactly what the template it replaced wrote, for every kind of field, bound
or not, valid or not."""

import pytest
from django.template import engines

from tests.form_fields import FORMS, fields

# The template every form included per field, until the tag replaced it.
TEMPLATE = """<div class="field{% if field.errors %} field-error{% endif %}">
  <label for="{{ field.id_for_label }}">{{ field.label }}{% if not field.field.required %} <span class="muted">(optional)</span>{% endif %}</label>
  {% if field.errors %}<ul class="errorlist" id="{{ field.auto_id }}_errors">{% for error in field.errors %}<li>{{ error }}</li>{% endfor %}</ul>{% endif %}
  {{ field }}
  {% if field.help_text %}<span class="helptext" id="{{ field.auto_id }}_helptext">{{ field.help_text }}</span>{% endif %}
</div>
"""  # noqa: E501 (the template as it was)


@pytest.mark.parametrize("field", list(fields()), ids=lambda field: field.html_name)
def test_the_tag_writes_what_the_template_wrote(field):
    written = engines["django"].from_string("{% load portal_tags %}{% form_field field %}")
    assert written.render({"field": field}) == engines["django"].from_string(TEMPLATE).render(
        {"field": field}
    )


def test_errors_and_optional_fields_are_marked():
    form = FORMS[1]
    html = engines["django"].from_string("{% load portal_tags %}{% form_field f %}")
    name = html.render({"f": form["name"]})
    assert 'class="field field-error"' in name
    assert "A second &lt;problem&gt; with the name." in name
    assert '<span class="muted">(optional)</span>' in html.render({"f": form["notes"]})
