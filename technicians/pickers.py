"""The people picker's form field: choose a technician by typing (see
docs/development-people-picker.md).

`TechnicianField(queryset=…)` draws the kernel's `portal.forms.PersonPicker` (a search box whose
suggestions come from `technicians:people_search`) and turns what was typed into one of
`queryset`'s technicians: an e-mail address or staff number, or a name only one of them has.
When several match it refuses, naming them with their addresses, so the page works as a
plain search without JavaScript.
"""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet

from portal.forms import PersonPicker
from technicians.models import Technician
from technicians.selectors import resolve_person

SEARCH_URL = "technicians:people_search"


class TechnicianField(forms.Field):
    """A technician chosen with the people picker. `search`: the suggestions' scope, passed
    to the search endpoint (`{"scope": "team"}`: oneself and one's reports; `{"accounts":
    "1"}`: only people with a login)."""

    def __init__(
        self,
        *,
        queryset: QuerySet[Technician] | None = None,
        search: dict | None = None,
        **kwargs,
    ):
        kwargs.setdefault("widget", PersonPicker(search_url=SEARCH_URL, params=search))
        kwargs.setdefault("help_text", "Type part of a name, an e-mail address or a staff number.")
        super().__init__(**kwargs)
        self.queryset = queryset if queryset is not None else Technician.objects.none()

    def prepare_value(self, value):
        if isinstance(value, Technician):
            return value.email
        if isinstance(value, int):
            person = self.queryset.filter(pk=value).first()
            return person.email if person else ""
        return value

    def to_python(self, value) -> Technician | None:
        text = " ".join(str(value or "").split())
        if not text:
            return None
        person, candidates = resolve_person(self.queryset, text)
        if person is not None:
            return person
        if not candidates:
            raise forms.ValidationError(
                f"Nobody you can choose here matches “{text}”.", code="no_match"
            )
        names = "; ".join(f"{t.full_name} ({t.email})" for t in candidates[:8])
        more = " and more" if len(candidates) > 8 else ""
        raise forms.ValidationError(
            f"Several people match “{text}”: {names}{more}. Type the e-mail address of the "
            "one you mean.",
            code="several",
        )
