"""Search, filters and sort of the directory and of Meet our technicians (django-filter).

Other apps add their own filters to the directory (by skill, by register) through
`portal.registry.register_directory_filter`; this module names none of them."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError

from portal import registry
from technicians import permissions, selectors
from technicians.models import Technician

SORT_CHOICES = [
    ("relevance", "Best match"),
    ("name", "Name"),
    ("department", "Department"),
    ("newest", "Newest first"),
]


# HR's status filter (only HR sees leavers in the directory).
STATUS_CHOICES = [("active", "Current staff"), ("leavers", "Leavers")]


class SearchInput(forms.TextInput):
    input_type = "search"


class _DirectoryFilterSet(django_filters.FilterSet):
    """What both filter sets share: the faculty choices (read from the departments, kept for
    everyone under the "people" version), and the no-op method of filters that
    filter_queryset applies itself."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["faculty"].extra["choices"] = selectors.faculty_choices()

    def filter_nothing(self, queryset, name, value):
        return queryset

    def plain_search(self) -> str | None:
        """The text searched for, when it is all the form asks: no other filter, and the
        order a search has by default (best match first). Every such search of one audience
        lists alike (`selectors.first_page_of_search`)."""
        return self.plain_search_of(self.data) if self.is_bound else None

    @classmethod
    def plain_search_of(cls, data) -> str | None:
        """`plain_search` of the form `data` (a QueryDict) would make, without making it: the
        search box is the only field asked, so only its own field's rules (and a valid order)
        decide whether the form is valid."""
        # What was sent, not what it cleans to: an unticked box cleans to False, a "No".
        asked = {name for name, values in data.lists() if any(v.strip() for v in values)}
        if not asked <= {"q", "sort", "page"} or data.get("sort") not in (None, "", "relevance"):
            return None
        try:
            text = cls.base_filters["q"].field.clean(data.get("q"))
        except ValidationError:
            return None
        return text.strip() or None


class TechnicianFilter(_DirectoryFilterSet):
    """The directory's search box, filters and sort, applied in that order."""

    q = django_filters.CharFilter(
        label="Search",
        method="filter_nothing",  # applied in filter_queryset, before sorting
        max_length=200,
        widget=SearchInput(attrs={"placeholder": "Name, technique, skill or equipment"}),
        help_text="For example: mass spectrometry, 3D printing, “cell culture”.",
    )
    faculty = django_filters.ChoiceFilter(
        label="Faculty",
        field_name="department__faculty",
        choices=[],  # filled in by __init__ from the departments
        empty_label="Any faculty",
    )
    department = django_filters.ChoiceFilter(
        label="Department",
        field_name="department__slug",
        choices=[],  # filled in by __init__ from the departments
        empty_label="Any department",
    )
    role_family = django_filters.ChoiceFilter(
        label="Role family",
        choices=Technician.RoleFamily.choices,
        empty_label="Any role family",
    )
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=STATUS_CHOICES,
        method="filter_status",
        empty_label="Current staff and leavers",
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by",
        choices=SORT_CHOICES,
        method="filter_nothing",
        empty_label="",  # the default order: best match when searching, name when not
    )

    class Meta:
        model = Technician
        fields = [
            "q",
            "faculty",
            "department",
            "role_family",
            "status",
            "sort",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["department"].extra["choices"] = selectors.department_choices()
        self._add_registered_filters()
        # Only HR sees leavers in the directory: nobody else is offered the status filter.
        if not permissions.can_manage_staff_list(getattr(self.request, "user", None)):
            del self.filters["status"]

    def _add_registered_filters(self) -> None:
        """Other apps' filters (portal.registry), after the directory's own and before the
        status and the sort."""
        added = {}
        for entry in registry.directory_filters():
            for name, filter_ in entry.filters(self.request).items():
                filter_.model = self._meta.model
                filter_.parent = self
                added[name] = filter_
        if not added:
            return
        tail = {name: self.filters.pop(name) for name in ("status", "sort")}
        self.filters.update(added)
        self.filters.update(tail)

    def filter_status(self, queryset, name, value):
        if value == "active":
            return queryset.filter(is_active=True)
        if value == "leavers":
            return queryset.filter(is_active=False)
        return queryset

    @property
    def form(self):
        """The sort box names the order it gives: "Name" with no search, "Best match" with
        one (its empty choice is the default, so a live search sends no stale order)."""
        form = super().form
        if not getattr(form, "_sort_labelled", False):
            searching = bool((self.data or {}).get("q", "").strip()) if self.data else False
            default = "Best match" if searching else "Name"
            shown = [(value, label) for value, label in SORT_CHOICES if value != "relevance"]
            if not searching:
                shown = [(value, label) for value, label in shown if value != "name"]
            form.fields["sort"].widget.choices = [("", default), *shown]
            form._sort_labelled = True
        return form

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        for entry in registry.directory_filters():
            queryset = entry.apply(queryset, data)
        query = data.get("q") or ""
        queryset = selectors.search_technicians(queryset, query)
        return selectors.sort_technicians(queryset, self.sort_order())

    def sort_order(self) -> str:
        """Relevance when searching unless asked otherwise; name when not searching."""
        data = getattr(self.form, "cleaned_data", {})
        searching = bool((data.get("q") or "").strip())
        sort = data.get("sort") or ("relevance" if searching else "name")
        if sort == "relevance" and not searching:
            return "name"
        return sort


class PublicTechnicianFilter(_DirectoryFilterSet):
    """Meet our technicians: search by name or expertise, filter by faculty."""

    q = django_filters.CharFilter(
        label="Search",
        method="filter_nothing",
        max_length=200,
        widget=SearchInput(attrs={"placeholder": "Name or expertise"}),
        help_text="For example: microscopy, welding, a name.",
    )
    faculty = django_filters.ChoiceFilter(
        label="Faculty",
        field_name="department__faculty",
        choices=[],  # filled in by __init__ from the departments
        empty_label="Any faculty",
    )

    class Meta:
        model = Technician
        fields = ["q", "faculty"]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        query = (self.form.cleaned_data.get("q") or "").strip()
        queryset = selectors.search_technicians(queryset, query)
        return selectors.sort_technicians(queryset, "relevance" if query else "name")
