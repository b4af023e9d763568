"""What each app plugs into the kernel, from its `AppConfig.ready()`.

The kernel never names an app. An app registers:

- named permission checks, read by the `{% can %}` tag and `portal.decorators`
  (`register_check("view_technician", can_view_technician)`);
- reminder producers, run by the periodic pass of `portal.reminders`
  (`register_reminder("actionplan.actions", queue_action_reminders)`);
- demo seeders, run in order by `manage.py seed_demo`
  (`register_seeder("technicians", seed_demo, order=10)`);
- dashboard panels, shown on `/` to the users they apply to
  (`register_panel(Panel(name=..., template=..., applies=..., context=...))`);
- sections of the annual report, rendered in `order` into the PDF and the HR figures page
  (`register_report_section(ReportSection(name=..., title=..., figures=..., ...))`);
- what one app shows inside the people directory of another, which names neither:
  directory filters (`register_directory_filter(DirectoryFilter(...))`), what the directory
  search reads (`register_search_field(SearchField(...))`), the data a person's card needs
  (`register_card_data(name, add, depends_on=versions)`) and the letters after their name
  (`register_post_nominals(name, letters_of)`), blocks of a profile page
  (`register_profile_block(ProfileBlock(...))`), parts of the "my profile" form
  (`register_profile_form_part(ProfileFormPart(...))`), and what a leaver takes with them
  (`register_leaver_watch(LeaverWatch(...))`);
- kinds of reminder, which each person may have at once, in a weekly digest or never
  (`register_reminder_kind(ReminderKind(name=..., label=...))`);
- sections of the public Commitment page, which the page renders in order after its own
  content (`register_public_block(PublicBlock(name=..., template=..., context=...))`);
- sections of a person's evidence pack for promotion, rendered in order after the pack's own
  in every format the pack comes in
  (`register_evidence_pack_section(EvidencePackSection(name=..., build=...))`).
- facts about the signed-in user that their dashboard asks on every visit, read in the
  user's own query rather than by one each (`register_user_fact(UserFact(name=..., exists=...))`).

Registering the same name twice with the same function is harmless (`ready()` may run more
than once in tests); a different function under a taken name is a programming error.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

Check = Callable[..., bool]
# producer(today) -> how many notifications it queued
ReminderProducer = Callable[[datetime.date], int]
# seeder(*, technicians: int, stdout) -> None; `technicians` is seed_demo's --technicians
Seeder = Callable[..., None]


@dataclass(frozen=True)
class SeederEntry:
    name: str
    seed: Seeder
    order: int


@dataclass(frozen=True)
class Panel:
    """One box of the dashboard.

    `applies(user)` says whether the user sees it; `context(request)` returns what its
    template needs (a constant number of queries); lower `order` comes first. Panels that
    need the person's attention use a low order so they come before what they can do.

    `shared_by`: for a panel that shows everyone it applies to the same thing (no person's
    name, which a viewer may not be allowed to see; no form), the data versions
    (portal.versions) of what it shows. It is then written once a day for all of them and kept
    under those versions (`portal.dashboard`): `context` is called with no request (None), and
    the template is rendered without one.
    """

    name: str
    template: str
    applies: Callable[[Any], bool]
    context: Callable[[Any], dict[str, Any]] = field(default=lambda request: {})
    order: int = 100
    shared_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReportTable:
    """A table of the annual report: shown in the PDF and on the figures page, and offered as
    a CSV named by `slug` (unique within the report)."""

    slug: str
    title: str
    header: list[str]
    rows: list[list[Any]]


@dataclass(frozen=True)
class ReportChart:
    """A chart the kernel draws (server-side SVG) from numbers a section computed.

    `kind` is "bar", "hbar", "stacked" or "pie"; `series` maps a series name to one value per
    label. `description` is the chart's text alternative; `table` names the ReportTable of
    the same numbers, shown next to it.
    """

    slug: str
    title: str
    kind: str
    labels: list[str]
    series: dict[str, list[float]]
    description: str
    table: str = ""
    # One colour per series when the colours mean something (RAG); else the report's own.
    colors: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReportSection:
    """One section of the annual report, contributed by an app.

    `figures(year)` computes everything the section shows for academic year `year` (a dict
    of JSON-friendly values: numbers, strings, lists); the PDF, the HR page and the CSVs all
    read this one dict. `tables(figures)` and `charts(figures)` shape it; `headlines(figures)`
    gives the few (label, number) pairs of the executive summary and the dashboard panel.
    `template` renders the section body with `figures`, `tables` (by slug), `charts` (by
    slug), `year`, `label` and `for_pdf`. Lower `order` comes first.
    """

    name: str
    title: str
    figures: Callable[[int], dict[str, Any]]
    template: str
    order: int = 100
    tables: Callable[[dict[str, Any]], list[ReportTable]] = field(default=lambda figures: [])
    charts: Callable[[dict[str, Any]], list[ReportChart]] = field(default=lambda figures: [])
    headlines: Callable[[dict[str, Any]], list[tuple[str, float]]] = field(
        default=lambda figures: []
    )


class AlreadyRegistered(Exception):
    pass


_checks: dict[str, Check] = {}
_reminders: dict[str, ReminderProducer] = {}
_seeders: dict[str, SeederEntry] = {}
_panels: dict[str, Panel] = {}
_report_sections: dict[str, ReportSection] = {}


def _put(table: dict[str, Any], name: str, value: Any, same: Callable[[Any, Any], bool]) -> None:
    existing = table.get(name)
    if existing is not None and not same(existing, value):
        raise AlreadyRegistered(f"{name!r} is already registered.")
    table[name] = value


# --- permission checks -------------------------------------------------------------------


def register_check(name: str, check: Check) -> None:
    _put(_checks, name, check, lambda a, b: a is b)


def register_checks(checks: dict[str, Check]) -> None:
    for name, check in checks.items():
        register_check(name, check)


def has_check(name: str) -> bool:
    return name in _checks


def get_check(name: str) -> Check:
    try:
        return _checks[name]
    except KeyError:
        raise KeyError(f"No permission check named {name!r} is registered.") from None


def check(name: str, user: Any, *args: Any) -> bool:
    return bool(get_check(name)(user, *args))


def checks() -> dict[str, Check]:
    return dict(_checks)


# --- reminder producers ------------------------------------------------------------------


def register_reminder(name: str, producer: ReminderProducer) -> None:
    _put(_reminders, name, producer, lambda a, b: a is b)


def reminders() -> dict[str, ReminderProducer]:
    return dict(_reminders)


# --- demo seeders ------------------------------------------------------------------------


def register_seeder(name: str, seed: Seeder, *, order: int = 100) -> None:
    _put(_seeders, name, SeederEntry(name, seed, order), lambda a, b: a.seed is b.seed)


def seeders() -> list[SeederEntry]:
    return sorted(_seeders.values(), key=lambda entry: (entry.order, entry.name))


# --- nav entries -------------------------------------------------------------------------

_nav: dict[str, Callable[[Any], Any]] = {}


def register_nav(name: str, value_of: Callable[[Any], Any]) -> None:
    _put(_nav, name, value_of, lambda a, b: a is b)


def nav_for(user: Any) -> dict[str, Any]:
    """Every registered nav entry for this user."""
    return {name: value_of(user) for name, value_of in _nav.items()}


# --- e-mail attachments ------------------------------------------------------------------

Attachment = tuple[str, bytes, str]  # (filename, content, mimetype)
AttachmentMaker = Callable[[Any], list[Attachment]]
_attachments: dict[str, AttachmentMaker] = {}


def register_attachments(name: str, maker: AttachmentMaker) -> None:
    _put(_attachments, name, maker, lambda a, b: a is b)


def attachments_for(notification: Any) -> list[Attachment]:
    """Every attachment an app adds to this notification's e-mail."""
    return [item for maker in _attachments.values() for item in maker(notification)]


# --- kinds of reminder (people choose: at once, weekly digest, never) ----------------------


@dataclass(frozen=True)
class ReminderKind:
    """A kind of reminder a person can have at once, in a weekly digest or never. `name` is
    what producers pass as queue_notification(..., reminder_kind=name); `label` is what the
    person reads on their notification settings and in the unsubscribe page."""

    name: str
    label: str
    help: str = ""
    order: int = 100


_reminder_kinds: dict[str, ReminderKind] = {}


def register_reminder_kind(kind: ReminderKind) -> None:
    _put(_reminder_kinds, kind.name, kind, lambda a, b: a == b)


def reminder_kinds() -> list[ReminderKind]:
    return sorted(_reminder_kinds.values(), key=lambda kind: (kind.order, kind.label))


def reminder_kind(name: str) -> ReminderKind | None:
    return _reminder_kinds.get(name)


# --- dashboard panels --------------------------------------------------------------------


def register_panel(panel: Panel) -> None:
    _put(_panels, panel.name, panel, lambda a, b: a.template == b.template)


def panels() -> list[Panel]:
    return sorted(_panels.values(), key=lambda panel: (panel.order, panel.name))


def panels_for(user: Any) -> list[Panel]:
    return [panel for panel in panels() if panel.applies(user)]


# --- annual report sections --------------------------------------------------------------


def register_report_section(section: ReportSection) -> None:
    _put(
        _report_sections,
        section.name,
        section,
        lambda a, b: a.figures is b.figures and a.template == b.template,
    )


def report_sections() -> list[ReportSection]:
    return sorted(_report_sections.values(), key=lambda section: (section.order, section.name))


# --- the people directory: what other apps add to it --------------------------------------
#
# The directory app (people, departments, the staff list) imports no app that builds on it.
# Those apps add their filters, search terms, card details, profile blocks, profile form parts
# and leaver warnings here, and the directory asks the registry.


@dataclass(frozen=True)
class DirectoryFilter:
    """Filters an app adds to the directory's filter form.

    `filters(request)` returns new django-filter `Filter`s by form field name (shown in
    `order` after the directory's own, before its status and sort); their own `method`
    should do nothing. `apply(queryset, cleaned_data)` then narrows the technicians by
    what was chosen (cleaned_data holds every field of the form).
    """

    name: str
    filters: Callable[[Any], dict[str, Any]]
    apply: Callable[[Any, dict[str, Any]], Any]
    order: int = 100
    # The data versions (portal.versions) of what the filters' choices are read from: the
    # unfiltered directory's form is written once for all staff (and once for HR) and kept
    # under them, so `filters` must give every member of staff the same fields.
    depends_on: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchField:
    """Text of an app that the directory search reads besides the person's own fields.

    `vector_text()`: an expression of the text of the technician `OuterRef("pk")`, added to
    the stored PostgreSQL vector (weight C). `word_filter(word)`: a Q or Exists matching
    technicians with `word` in that text (the search off PostgreSQL). `prefetch(queryset,
    words)`: the results with what `reasons` reads for those searched words, in a constant
    number of queries.
    `reasons(technician, words, highlight)`: why the technician matched, as short marked-up
    strings (`highlight(text)` marks the searched words). The app keeps the stored vector
    current when that text changes (technicians.search.refresh_search_vectors).
    """

    name: str
    vector_text: Callable[[], Any]
    word_filter: Callable[[str], Any]
    prefetch: Callable[[Any, list[str]], Any] = field(default=lambda queryset, words: queryset)
    reasons: Callable[[Any, list[str], Callable[[str], str]], list[str]] = field(
        default=lambda technician, words, highlight: []
    )


@dataclass(frozen=True)
class ProfileBlock:
    """A section of a person's profile page, after the directory's own.

    `context(request, technician)` returns what `template` needs (a constant number of
    queries), or None to show nothing.
    """

    name: str
    template: str
    context: Callable[[Any, Any], dict[str, Any] | None]
    order: int = 100


@dataclass(frozen=True)
class ProfileFormPart:
    """A part of the "my profile" form, saved with the profile in one transaction.

    `build(technician, data)` returns the bound (`data` from the POST) or unbound part: an
    object with `template`, `is_valid()` and `save(technician, *, by)` (called through the
    profile's service, inside its transaction; a ValidationError it raises undoes the lot).
    """

    name: str
    build: Callable[[Any, Any], Any]
    order: int = 100


@dataclass(frozen=True)
class LeaverWatch:
    """What people take with them when they leave, seen before the staff list makes them
    leavers.

    `losses(staff_numbers)` lists what goes with the current technicians with these staff
    numbers (each item has a `message`, shown as a warning of the staff-list preview);
    `tell(losses, key=...)` tells whoever must know once the leavers are written (`key`
    makes the notifications idempotent).
    """

    name: str
    losses: Callable[[Any], list[Any]]
    tell: Callable[..., Any] = field(default=lambda losses, key="": None)


_directory_filters: dict[str, DirectoryFilter] = {}
_search_fields: dict[str, SearchField] = {}
_card_data: dict[str, Callable[[Any], Any]] = {}
_card_data_versions: dict[str, tuple[str, ...]] = {}
_post_nominals: dict[str, Callable[[Any], str]] = {}
_profile_blocks: dict[str, ProfileBlock] = {}
_profile_form_parts: dict[str, ProfileFormPart] = {}
_leaver_watches: dict[str, LeaverWatch] = {}


def register_directory_filter(entry: DirectoryFilter) -> None:
    _put(_directory_filters, entry.name, entry, lambda a, b: a.apply is b.apply)


def directory_filters() -> list[DirectoryFilter]:
    return sorted(_directory_filters.values(), key=lambda entry: (entry.order, entry.name))


def directory_filter_versions() -> tuple[str, ...]:
    """Every data version the other apps' directory filters read their choices from."""
    return _every_name(entry.depends_on for entry in _directory_filters.values())


def _every_name(groups: Iterable[tuple[str, ...]]) -> tuple[str, ...]:
    """The names of every group, each once, in a fixed order (a cache key's)."""
    return tuple(sorted({name for names in groups for name in names}))


def register_search_field(entry: SearchField) -> None:
    _put(_search_fields, entry.name, entry, lambda a, b: a.vector_text is b.vector_text)


def search_fields() -> list[SearchField]:
    return [_search_fields[name] for name in sorted(_search_fields)]


def register_card_data(
    name: str, add: Callable[[Any], Any], *, depends_on: tuple[str, ...] = ()
) -> None:
    """`add(queryset)` returns the technicians with what the app's part of a card reads
    (a prefetch or an annotation: a constant number of queries for a page of cards).
    `depends_on`: the data versions (portal.versions) that every change to that part moves
    on, so that cards kept for every viewer are written again when it changes."""
    _put(_card_data, name, add, lambda a, b: a is b)
    _card_data_versions[name] = tuple(depends_on)


def with_card_data(queryset: Any) -> Any:
    for name in sorted(_card_data):
        queryset = _card_data[name](queryset)
    return queryset


def card_data_versions() -> tuple[str, ...]:
    """Every data version the other apps' parts of a card depend on, in a fixed order."""
    return _every_name(_card_data_versions.values())


def register_post_nominals(name: str, letters_of: Callable[[Any], str]) -> None:
    """`letters_of(technician)` gives the letters after their name ("RSciTech"), or ""."""
    _put(_post_nominals, name, letters_of, lambda a, b: a is b)


def post_nominals(technician: Any) -> str:
    """Every app's letters after the technician's name, joined ("RSciTech, EngTech")."""
    if technician is None:
        return ""
    parts = (_post_nominals[name](technician) for name in sorted(_post_nominals))
    return ", ".join(part for part in parts if part)


def register_profile_block(block: ProfileBlock) -> None:
    _put(_profile_blocks, block.name, block, lambda a, b: a.template == b.template)


def profile_blocks() -> list[ProfileBlock]:
    return sorted(_profile_blocks.values(), key=lambda block: (block.order, block.name))


def register_profile_form_part(part: ProfileFormPart) -> None:
    _put(_profile_form_parts, part.name, part, lambda a, b: a.build is b.build)


def profile_form_parts() -> list[ProfileFormPart]:
    return sorted(_profile_form_parts.values(), key=lambda part: (part.order, part.name))


def register_leaver_watch(watch: LeaverWatch) -> None:
    _put(_leaver_watches, watch.name, watch, lambda a, b: a.losses is b.losses)


def leaver_watches() -> list[LeaverWatch]:
    return [_leaver_watches[name] for name in sorted(_leaver_watches)]


# --- personal data (UK GDPR): the subject-access zip and retention ------------------------

# collect(technician) -> portal.personal_data.PersonalData
PersonalDataCollector = Callable[[Any], Any]
# anonymise(technician, *, dry_run: bool) -> list[str]: what it changed (or would change)
Anonymiser = Callable[..., list[str]]
_personal_data: dict[str, PersonalDataCollector] = {}
_anonymisers: dict[str, tuple[Anonymiser, int]] = {}


def register_personal_data(name: str, collect: PersonalDataCollector) -> None:
    """An app's part of a person's subject-access zip (portal.personal_data)."""
    _put(_personal_data, name, collect, lambda a, b: a is b)


def personal_data_collectors() -> dict[str, PersonalDataCollector]:
    return dict(_personal_data)


def register_anonymiser(name: str, anonymise: Anonymiser, *, order: int = 100) -> None:
    """What an app removes of a leaver's data once the retention period is over; lower
    `order` runs first."""
    _put(_anonymisers, name, (anonymise, order), lambda a, b: a[0] is b[0])


def anonymisers() -> dict[str, Anonymiser]:
    ordered = sorted(_anonymisers.items(), key=lambda item: (item[1][1], item[0]))
    return {name: fn for name, (fn, _order) in ordered}


# --- the public Commitment page ----------------------------------------------------------------
# Sections an app adds to the public Commitment page (/commitment/, anyone, signed in or not):
# the page renders `public_blocks()` in order, after its own content.


@dataclass(frozen=True)
class PublicBlock:
    """A section of the public Commitment page.

    `context(request)` returns what `template` needs (a constant number of queries, and only
    what anyone may see), or None to show nothing. Lower `order` comes first.
    """

    name: str
    template: str
    context: Callable[[Any], dict[str, Any] | None]
    order: int = 100


_public_blocks: dict[str, PublicBlock] = {}


def register_public_block(block: PublicBlock) -> None:
    _put(_public_blocks, block.name, block, lambda a, b: a.template == b.template)


def public_blocks() -> list[PublicBlock]:
    return sorted(_public_blocks.values(), key=lambda block: (block.order, block.name))


# --- the evidence pack for promotion -------------------------------------------------------------
# Sections an app adds to a person's evidence pack (a promotion case): the pack renders
# `evidence_pack_sections()` in order, after its own, in each of its formats. A section is plain
# text in a table, so every format can draw it; the pack's owner never names the app.


@dataclass(frozen=True)
class EvidenceTable:
    """What one section of the evidence pack shows: a title, an optional line of text, and a
    table (`header`, then `rows` of plain strings); `empty` is said when there are no rows."""

    title: str
    header: list[str]
    rows: list[list[str]]
    intro: str = ""
    empty: str = "Nothing recorded."


@dataclass(frozen=True)
class EvidencePackSection:
    """A section of a person's evidence pack.

    `build(technician)` returns the EvidenceTable to show (a constant number of queries), or
    None to show nothing. Lower `order` comes first.
    """

    name: str
    build: Callable[[Any], EvidenceTable | None]
    order: int = 100


_evidence_pack_sections: dict[str, EvidencePackSection] = {}


def register_evidence_pack_section(section: EvidencePackSection) -> None:
    _put(_evidence_pack_sections, section.name, section, lambda a, b: a.build is b.build)


def evidence_pack_sections() -> list[EvidencePackSection]:
    return sorted(
        _evidence_pack_sections.values(), key=lambda section: (section.order, section.name)
    )


# --- facts read with the signed-in user --------------------------------------------------


@dataclass(frozen=True)
class UserFact:
    """A yes-or-no fact about the signed-in user that a dashboard asks on every visit (do
    they sit on a scoring panel?). The sign-in backend reads every registered fact in its one
    query for the user (`technicians.auth_backends`), instead of a query of the fact's own.

    `exists()` returns an `Exists` over the app's rows, written against the user's key
    (`OuterRef("pk")`) or their technician's (`OuterRef("technician__id")`). The answer is the
    one the request began with: read it (`known_fact`) only where a page shows what is there,
    as a dashboard panel does, never after a change the same request made."""

    name: str
    exists: Callable[[], Any]


_user_facts: dict[str, UserFact] = {}


def register_user_fact(fact: UserFact) -> None:
    _put(_user_facts, fact.name, fact, lambda a, b: a.exists is b.exists)


def user_facts() -> list[UserFact]:
    return sorted(_user_facts.values(), key=lambda fact: fact.name)


def fact_attribute(name: str) -> str:
    """The attribute the user's query sets for the fact `name` (an annotation's name)."""
    return "_portal_fact_" + name.replace(".", "_")


def known_fact(user: Any, name: str) -> bool | None:
    """The fact `name` as the sign-in backend read it with `user`, or None where the user was
    loaded another way (the caller asks the database)."""
    value = getattr(user, fact_attribute(name), None)
    return None if value is None else bool(value)
