"""The headline figures of each pillar: one catalogue, read by the annual report's summary
and pillar sections, the self-assessment's evidence of progress and the KPI export, so no two
of them can disagree.

Each figure reads the figures dict of a registered report section (by name, through the
registry: no app is imported). A figure with nothing behind it (no technicians, no sessions,
no marked attendance) has no value and says so in a sentence, never "0 %".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from portal.reports.builders import number

PILLARS = (
    ("visibility", "Visibility"),
    ("recognition", "Recognition"),
    ("career_development", "Career development"),
    ("sustainability", "Sustainability"),
)
PILLAR_LABELS = dict(PILLARS)

Figures = dict[str, dict[str, Any]]  # section name -> that section's figures


def _get(section: str, key: str) -> Callable[[Figures], Any]:
    def read(figures: Figures) -> Any:
        return (figures.get(section) or {}).get(key)

    return read


@dataclass(frozen=True)
class KPI:
    pillar: str
    slug: str
    label: str
    sentence: str  # what it measures
    value: Callable[[Figures], Any]
    # When this returns True there is no data behind the figure: `no_data` is shown instead.
    empty: Callable[[Figures], bool] = lambda figures: False
    no_data: str = "No data was recorded this year."
    unit: str = ""  # "%", "£" or "" (a count)


def _zero(*readers: Callable[[Figures], Any]) -> Callable[[Figures], bool]:
    return lambda figures: all(not (reader(figures) or 0) for reader in readers)


CATALOGUE: tuple[KPI, ...] = (
    KPI(
        "visibility",
        "technicians",
        "Technicians",
        "Active technicians on the staff list at the end of the year (today, for the year "
        "under way).",
        _get("who_we_are", "headcount"),
        empty=_zero(_get("who_we_are", "headcount")),
        no_data="No technicians are on the staff list.",
    ),
    KPI(
        "visibility",
        "public_profiles",
        "Public profiles",
        "Technicians whose profile anyone can see on Meet our technicians.",
        _get("visibility", "public_profiles"),
        empty=_zero(_get("visibility", "technicians")),
        no_data="No technicians are on the staff list.",
    ),
    KPI(
        "visibility",
        "complete_profiles_percent",
        "Complete profiles",
        "The share of active technicians whose profile has every part filled in.",
        _get("visibility", "profiles_complete_percent"),
        empty=_zero(_get("visibility", "technicians")),
        no_data="No technicians are on the staff list.",
        unit="%",
    ),
    KPI(
        "visibility",
        "departments_with_helpdesk",
        "Departments with a helpdesk address",
        "Departments whose page gives visitors an address to ask for technical help.",
        _get("visibility", "departments_with_helpdesk"),
        empty=_zero(_get("visibility", "departments")),
        no_data="No departments are recorded.",
    ),
    KPI(
        "recognition",
        "registered_percent",
        "Technicians registered",
        "The share of active technicians holding an active professional registration.",
        _get("recognition", "registered_percent"),
        empty=_zero(_get("recognition", "technicians")),
        no_data="No technicians are on the staff list.",
        unit="%",
    ),
    KPI(
        "recognition",
        "new_registrations",
        "New registrations",
        "Professional registrations gained during the academic year.",
        _get("recognition", "new_registrations"),
    ),
    KPI(
        "recognition",
        "funding_approved",
        "Funding applications approved",
        "Applications for registration funding approved in the financial year.",
        _get("recognition", "approved"),
        empty=_zero(_get("recognition", "applications")),
        no_data="No funding applications were made this year.",
    ),
    KPI(
        "recognition",
        "fees_paid",
        "Registration fees paid",
        "What the registration fund paid towards fees in the financial year.",
        _get("recognition", "spent"),
        empty=_zero(_get("recognition", "applications")),
        no_data="No funding applications were made this year.",
        unit="£",
    ),
    KPI(
        "career_development",
        "training_days",
        "Training days recorded",
        "Days of training, conferences and learning on the job logged by technicians.",
        _get("career_development", "days"),
        empty=_zero(_get("career_development", "days")),
        no_data="No training days were recorded this year.",
    ),
    KPI(
        "career_development",
        "days_per_technician",
        "Training days per technician",
        "Training days recorded, divided by the number of active technicians.",
        _get("career_development", "average_days"),
        empty=_zero(_get("career_development", "days")),
        no_data="No training days were recorded this year.",
    ),
    KPI(
        "career_development",
        "meeting_target_percent",
        "Meeting the training target",
        "The share of technicians on track for their pro-rata share of the yearly target.",
        _get("career_development", "meeting_target_percent"),
        empty=_zero(_get("career_development", "days")),
        no_data="No training days were recorded this year.",
        unit="%",
    ),
    KPI(
        "career_development",
        "sessions_delivered",
        "Sessions delivered",
        "Scheduled course sessions that took place.",
        _get("career_development", "sessions_delivered"),
        empty=_zero(
            _get("career_development", "sessions_delivered"),
            _get("career_development", "sessions_cancelled"),
        ),
        no_data="No sessions were recorded this year.",
    ),
    KPI(
        "career_development",
        "no_show_percent",
        "No-show rate",
        "The share of marked bookings where the technician did not attend.",
        _get("career_development", "no_show_percent"),
        empty=_zero(_get("career_development", "attended"), _get("career_development", "no_shows")),
        no_data="No attendance was marked this year.",
        unit="%",
    ),
    KPI(
        "sustainability",
        "apprentices",
        "Apprentices",
        "Technical apprentices on the staff list.",
        _get("sustainability", "apprentices"),
    ),
    KPI(
        "sustainability",
        "single_holder_skills",
        "Skills held by one technician in a department",
        "Skills that only one technician in a department holds at practitioner level or above "
        "(the same count as the appendix's table by department).",
        _get("sustainability", "single_holder_in_a_department"),
    ),
    KPI(
        "sustainability",
        "untaught_skills",
        "Skills nobody can train others in",
        "Skills held at practitioner level or above that no technician can teach.",
        lambda figures: len((figures.get("sustainability") or {}).get("untaught") or []),
    ),
)


def format_value(value: Any, unit: str) -> str:
    if value is None:
        return ""
    if unit == "£":
        return f"£{float(value):,.2f}"
    if unit == "%":
        return f"{number(value)} %"
    return number(value)


@dataclass(frozen=True)
class Figure:
    """One KPI's value in a year and the year before (None: no data)."""

    kpi: KPI
    value: float | None
    previous: float | None

    @property
    def key(self) -> str:
        return f"{self.kpi.pillar}.{self.kpi.slug}"

    @property
    def label(self) -> str:
        return self.kpi.label + (f" ({self.kpi.unit})" if self.kpi.unit else "")

    @property
    def text(self) -> str:
        return self.kpi.no_data if self.value is None else format_value(self.value, self.kpi.unit)

    @property
    def previous_text(self) -> str:
        return "no data" if self.previous is None else format_value(self.previous, self.kpi.unit)

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return round(self.value - self.previous, 2)

    @property
    def change_text(self) -> str:
        change = self.change
        if change is None:
            return "no comparison"
        if change == 0:
            return "no change"
        amount = format_value(abs(change), self.kpi.unit)
        if self.kpi.unit == "%":
            amount = f"{number(abs(change))} points"
        return f"{'up' if change > 0 else 'down'} {amount}"

    @property
    def pillar_label(self) -> str:
        return PILLAR_LABELS[self.kpi.pillar]

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "sentence": self.kpi.sentence,
            "value": self.value,
            "previous": self.previous,
            "text": self.text,
            "previous_text": self.previous_text,
            "change_text": self.change_text,
        }


def value_of(kpi: KPI, figures: Figures) -> float | None:
    if kpi.empty(figures):
        return None
    value = kpi.value(figures)
    return None if value is None else float(value)


def compute(figures: Figures, previous: Figures | None) -> list[Figure]:
    """Every KPI of the catalogue, in order."""
    return [
        Figure(
            kpi=kpi,
            value=value_of(kpi, figures),
            previous=None if previous is None else value_of(kpi, previous),
        )
        for kpi in CATALOGUE
    ]


def by_pillar(figures: list[Figure]) -> dict[str, list[Figure]]:
    found: dict[str, list[Figure]] = {pillar: [] for pillar, _ in PILLARS}
    for figure in figures:
        found[figure.kpi.pillar].append(figure)
    return found


def stored(figures: list[Figure]) -> dict[str, dict[str, float | None]]:
    """What a ready report keeps (pillar -> {slug: value}) for next year's comparison."""
    found: dict[str, dict[str, float | None]] = {}
    for figure in figures:
        found.setdefault(figure.kpi.pillar, {})[figure.kpi.slug] = figure.value
    return found


def section_figures(year: int) -> Figures:
    from portal import registry

    return {section.name: section.figures(year) for section in registry.report_sections()}


def for_year(year: int) -> list[Figure]:
    """A year's KPIs against the year before, both computed now."""
    return compute(section_figures(year), section_figures(year - 1))
