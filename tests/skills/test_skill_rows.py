"""My profile's skill rows are written in Python (`{% skill_rows %}`): each must be the markup
the row template wrote, for listed skills, empty rows and rows with errors."""

import pytest
from django.template import Context, Template
from django.test.html import parse_html

from skills.directory import SkillsPart
from tests import factories

pytestmark = pytest.mark.django_db

# The rows as the template wrote them before.
TEMPLATE_ROWS = """
{% for skill_form in formset %}
  <tr{% if skill_form.errors %} class="field-error"{% endif %}>
    <td>
      {% for hidden in skill_form.hidden_fields %}{{ hidden }}{% endfor %}
      <label for="{{ skill_form.skill.id_for_label }}" class="visually-hidden">Skill {{ forloop.counter }}</label>
      {{ skill_form.skill.errors }}{{ skill_form.non_field_errors }}
      {{ skill_form.skill }}
    </td>
    <td>
      <label for="{{ skill_form.level.id_for_label }}" class="visually-hidden">Level of skill {{ forloop.counter }}</label>
      {{ skill_form.level.errors }}
      {{ skill_form.level }}
    </td>
    <td>
      {% if skill_form.instance.pk %}
        <label for="{{ skill_form.DELETE.id_for_label }}" class="visually-hidden">Remove skill {{ forloop.counter }}</label>
        {{ skill_form.DELETE }}
      {% endif %}
    </td>
  </tr>
{% endfor %}
"""  # noqa: E501


@pytest.fixture
def listed(personas):
    technician = personas.technician_profile
    nmr = factories.SkillFactory(name="NMR <spectroscopy> & co", category="Analytical")
    weld = factories.SkillFactory(name="Welding", category="Engineering")
    factories.SkillFactory(name="Glassblowing", category="Engineering")
    rows = [
        factories.TechnicianSkillFactory(technician=technician, skill=nmr, level=3),
        factories.TechnicianSkillFactory(technician=technician, skill=weld, level=1),
    ]
    return technician, rows


def assert_rows_as_the_template_wrote(formset):
    written = Template("{% load skills_tags %}{% skill_rows formset %}").render(
        Context({"formset": formset})
    )
    assert parse_html(written) == parse_html(
        Template(TEMPLATE_ROWS).render(Context({"formset": formset}))
    )
    return written


def test_listed_skills_and_empty_rows_are_the_markup_the_template_wrote(listed):
    technician, rows = listed
    written = assert_rows_as_the_template_wrote(SkillsPart(technician).formset)
    assert written.count("<tr") == len(rows) + 3  # three empty rows to add
    assert written.count("Remove skill") == len(rows)
    assert "NMR &lt;spectroscopy&gt; &amp; co" in written


def test_rows_with_errors_are_the_markup_the_template_wrote(listed):
    technician, rows = listed
    data = {
        "skills-TOTAL_FORMS": "4",
        "skills-INITIAL_FORMS": "2",
        "skills-MIN_NUM_FORMS": "0",
        "skills-MAX_NUM_FORMS": "1000",
        "skills-0-id": str(rows[0].pk),
        "skills-0-technician": str(technician.pk),
        "skills-0-skill": str(rows[0].skill_id),
        "skills-0-level": "",  # a level is needed
        "skills-1-id": str(rows[1].pk),
        "skills-1-technician": str(technician.pk),
        "skills-1-skill": str(rows[1].skill_id),
        "skills-1-level": "2",
        "skills-1-DELETE": "on",
        "skills-2-skill": "999999",  # not on the list
        "skills-2-level": "2",
        "skills-3-skill": "",
        "skills-3-level": "",
    }
    part = SkillsPart(technician, data)
    assert not part.is_valid()
    written = assert_rows_as_the_template_wrote(part.formset)
    assert written.count('class="field-error"') == 2
    assert "That skill is not on the list." in written
    assert "Choose a level for this skill." in written
