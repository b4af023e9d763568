"""HR's forms of the staff list page: the column mapping and the rule of who is a technician.

One form, two shapes: with the header of an uploaded file (the mapping step) each column is
chosen from the file's columns, the common names already chosen; without one (editing on the
staff list page) each is typed. The rules live in `technicians.services.save_staff_list_mapping`.
"""

from __future__ import annotations

from typing import Any

from django import forms

from technicians.models import StaffListMapping, Technician
from technicians.staff_list.columns import STAFF_COLUMNS
from technicians.staff_list.mapping import MAPPED_COLUMNS, MAY_KEEP, MUST_MAP

NOT_IN_FILE = "Not in the file"
RULE_FIELDS = ("technician_column", "technician_values")
LABELS = {
    "line_manager_staff_number": "Line manager's staff number",
    "is_apprentice": "Apprentice (yes/no)",
    "is_active": "Active (yes/no)",
    "fte": "FTE",
}


def _label(name: str) -> str:
    return LABELS.get(name) or STAFF_COLUMNS[name].label.capitalize()


def _help(name: str) -> str:
    if name in MUST_MAP:
        return "Required."
    if name in MAY_KEEP:
        return "If the export has none, each technician keeps the portal's value."
    return "Optional."


class StaffListMappingForm(forms.Form):
    def __init__(
        self,
        *args: Any,
        mapping: StaffListMapping,
        header: list[str] | None = None,
        suggested: dict[str, str] | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.header = [name for name in (header or []) if name]
        suggested = suggested or {}
        options = [("", NOT_IN_FILE)] + [(name, name) for name in self.header]
        for name in MAPPED_COLUMNS:
            if self.header:
                field = forms.ChoiceField(choices=options, required=False)
                initial = suggested.get(name, "")
            else:
                field = forms.CharField(max_length=100, required=False)
                initial = mapping.columns.get(name, name)
            field.label = _label(name)
            field.help_text = _help(name)
            field.initial = initial
            self.fields[name] = field
        model_field = StaffListMapping._meta.get_field
        self.fields["role_family_default"] = forms.ChoiceField(
            label=str(model_field("role_family_default").verbose_name).capitalize(),
            choices=[("", "—")] + list(Technician.RoleFamily.choices),
            required=False,
            help_text=model_field("role_family_default").help_text,
            initial=mapping.role_family_default,
        )
        rule_column = model_field("technician_column")
        if self.header:
            self.fields["technician_column"] = forms.ChoiceField(
                choices=[("", "Everyone in the file is a technician")] + options[1:],
                required=False,
            )
            initial_column = (
                mapping.technician_column if mapping.technician_column in self.header else ""
            )
        else:
            self.fields["technician_column"] = forms.CharField(
                max_length=rule_column.max_length, required=False
            )
            initial_column = mapping.technician_column
        self.fields["technician_column"].label = str(rule_column.verbose_name).capitalize()
        self.fields["technician_column"].help_text = rule_column.help_text
        self.fields["technician_column"].initial = initial_column
        self.fields["technician_values"] = forms.CharField(
            label="Values that mean a technician",
            widget=forms.Textarea(attrs={"rows": 4}),
            required=False,
            help_text="One a line, as in the export (any case), such as Technical or T&R 4.",
            initial="\n".join(mapping.technician_values),
        )

    @property
    def column_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in MAPPED_COLUMNS]

    @property
    def default_field(self) -> forms.BoundField:
        return self["role_family_default"]

    @property
    def rule_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in RULE_FIELDS]

    def service_values(self) -> dict[str, Any]:
        """The keyword arguments of save_staff_list_mapping."""
        data = self.cleaned_data
        return {
            "columns": {name: data.get(name, "") for name in MAPPED_COLUMNS},
            "role_family_default": data.get("role_family_default", ""),
            "technician_column": data.get("technician_column", ""),
            "technician_values": [
                line.strip() for line in data.get("technician_values", "").splitlines()
            ],
        }
