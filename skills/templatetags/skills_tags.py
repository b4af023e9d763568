"""The rows of my profile's skills table, written in Python (`{% skill_rows formset %}`):
a row's template work (about twenty lookups and two labels a row, eight rows or more) was
most of the page's time (bench/tuning.md). Each row is the markup the row template wrote;
every value is escaped or is a widget's own HTML."""

from django import template
from django.utils.safestring import mark_safe

from portal.markup import escaped

register = template.Library()


@register.simple_tag
def skill_rows(formset) -> str:
    """`{% skill_rows formset %}`: a `<tr>` for each form of the skills formset: the skill's
    box, the level's box and, for a skill already listed, its Remove box; each with a label
    for screen readers and its errors."""
    return mark_safe("".join(_row(form, number) for number, form in enumerate(formset, 1)))  # noqa: S308 (escaped in _row)


def _row(form, number: int) -> str:
    skill, level = form["skill"], form["level"]
    hidden = "".join(escaped(field) for field in form.hidden_fields())
    remove = ""
    if form.instance.pk:
        delete = form["DELETE"]
        remove = (
            f'<label for="{escaped(delete.id_for_label)}" class="visually-hidden">'
            f"Remove skill {number}</label>{escaped(delete)}"
        )
    marked = ' class="field-error"' if form.errors else ""
    return (
        f"<tr{marked}><td>{hidden}"
        f'<label for="{escaped(skill.id_for_label)}" class="visually-hidden">Skill {number}</label>'
        f"{escaped(skill.errors)}{escaped(form.non_field_errors())}{escaped(skill)}</td>"
        f'<td><label for="{escaped(level.id_for_label)}" class="visually-hidden">'
        f"Level of skill {number}</label>{escaped(level.errors)}{escaped(level)}</td>"
        f"<td>{remove}</td></tr>\n"
    )
