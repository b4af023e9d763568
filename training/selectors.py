"""Read-only queries of the training pages, panels and exports; each a constant number of
queries, whatever the number of courses, sessions, bookings or technicians."""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from portal import versions
from portal.periods import academic_year_bounds, academic_year_of
from portal.prepared import Fixed, PreparedQuery, with_known
from training.models import Booking, Category, Course, CourseInterest, Session, TrainingRecord
from training.versions import CATALOGUE

ZERO = Decimal("0")
TWO_PLACES = Decimal("0.01")


# --- targets -------------------------------------------------------------------------------


def target_split(fte: Decimal | float | None = None) -> dict[str, Decimal]:
    """Each category's target for the year, pro rata by FTE (7 / 2 / 1 at full time)."""
    share = Decimal(str(fte if fte is not None else 1))
    return {
        category: (Decimal(settings.TRAINING_TARGET_SPLIT.get(category, 0)) * share).quantize(
            TWO_PLACES
        )
        for category in Category.values
    }


def target_total(fte: Decimal | float | None = None) -> Decimal:
    share = Decimal(str(fte if fte is not None else 1))
    return (Decimal(settings.TRAINING_TARGET_DAYS) * share).quantize(TWO_PLACES)


def year_fraction_gone(today: datetime.date) -> Decimal:
    """How much of today's academic year has gone, today included (1 August: 1/365)."""
    start, end = academic_year_bounds(academic_year_of(today))
    return Decimal((today - start).days + 1) / Decimal((end - start).days + 1)


def expected_by_now(fte, today: datetime.date) -> Decimal:
    return (target_total(fte) * year_fraction_gone(today)).quantize(TWO_PLACES)


def is_on_track(days: Decimal, fte, today: datetime.date) -> bool:
    """At or above the pro-rata share of the target for the part of the year gone."""
    return Decimal(days or 0) >= expected_by_now(fte, today)


def _year_q(year: int, prefix: str = "") -> Q:
    start, end = academic_year_bounds(year)
    return Q(**{f"{prefix}date__gte": start, f"{prefix}date__lte": end})


def _days_sum(year: int, category: str | None = None) -> Coalesce:
    condition = _year_q(year, "training_records__")
    if category:
        condition &= Q(training_records__category=category)
    return Coalesce(
        Sum("training_records__days", filter=condition),
        Value(ZERO),
        output_field=DecimalField(max_digits=8, decimal_places=2),
    )


# --- the catalogue -------------------------------------------------------------------------


def _seat_counts(queryset):
    return queryset.annotate(
        taken=Count("bookings", filter=Q(bookings__status__in=Booking.HOLDS_SEAT)),
        waiting=Count("bookings", filter=Q(bookings__status=Booking.Status.WAITLISTED)),
        requested=Count("bookings", filter=Q(bookings__status=Booking.Status.REQUESTED)),
    )


def upcoming_sessions(now: datetime.datetime | None = None):
    now = now or timezone.now()
    return Session.objects.filter(status=Session.Status.SCHEDULED, starts_at__gt=now)


def catalogue(
    *,
    q: str = "",
    category: str = "",
    provider: str = "",
    starts_from: datetime.date | None = None,
    starts_until: datetime.date | None = None,
    free_seats: bool = False,
    now: datetime.datetime | None = None,
):
    """Courses, each with its next session (`next_session`, seat counts annotated) and how
    many sessions it has to come (`upcoming_count`), in the dates asked for; courses with a
    session soonest come first, then those with none. Two queries, whatever the programme's
    size: the next sessions are read for the courses shown, not every session to come."""
    now = now or timezone.now()
    sessions = upcoming_sessions(now)
    if starts_from:
        sessions = sessions.filter(starts_at__date__gte=starts_from)
    if starts_until:
        sessions = sessions.filter(starts_at__date__lte=starts_until)
    courses = Course.objects.all()
    if q:
        courses = courses.filter(
            Q(title__icontains=q) | Q(description__icontains=q) | Q(provider__icontains=q)
        )
    if category:
        courses = courses.filter(category=category)
    if provider:
        courses = courses.filter(provider=provider)
    matching = sessions.filter(course=OuterRef("pk"))
    if free_seats:
        matching = _seat_counts(matching).filter(capacity__gt=F("taken"))
    if free_seats or starts_from or starts_until:
        courses = courses.filter(Exists(matching.values("pk")))
    of_course = sessions.filter(course=OuterRef("pk"))
    next_one = of_course.order_by("starts_at", "pk")
    counted = of_course.order_by().values("course").annotate(n=Count("pk")).values("n")
    found = list(
        courses.annotate(
            next_start=Subquery(next_one.values("starts_at")[:1]),
            next_session_id=Subquery(next_one.values("pk")[:1]),
            upcoming_count=Coalesce(Subquery(counted, output_field=IntegerField()), 0),
        ).order_by(F("next_start").asc(nulls_last=True), "title", "pk")
    )
    ids = [course.next_session_id for course in found if course.next_session_id]
    next_sessions = _seat_counts(Session.objects.filter(pk__in=ids)).in_bulk() if ids else {}
    for course in found:
        course.next_session = next_sessions.get(course.next_session_id)
    return found


# Compiled once (portal.prepared): the catalogue asks it on every visit.
_FIRST_UPCOMING_START = PreparedQuery(
    lambda now: upcoming_sessions(now).order_by("starts_at").values_list("starts_at", flat=True)[:1]
)


def first_upcoming_start(now: datetime.datetime) -> datetime.datetime | None:
    """When the first session still to come starts (None: none is planned). Sessions to come
    are the scheduled ones starting from then on, so it names which they are until it passes:
    the catalogue as it opens is kept under it (training.views._kept_course_list)."""
    found = _FIRST_UPCOMING_START.list(now=now)
    return found[0] if found else None


def providers() -> list[str]:
    """The courses' providers, for the catalogue's filter: the same for everyone, kept under
    the catalogue's version."""
    return versions.cached(
        "training.providers",
        depends_on=(CATALOGUE,),
        compute=lambda: list(
            Course.objects.exclude(provider="")
            .order_by("provider")
            .values_list("provider", flat=True)
            .distinct()
        ),
    )


@dataclass
class CoursePage:
    course: Course
    sessions: list[Session]
    interested: bool = False


def course_page(course: Course, technician, now: datetime.datetime | None = None) -> CoursePage:
    """The course's upcoming sessions with seats left, and `technician`'s own booking on each
    (`session.my_booking`)."""
    now = now or timezone.now()
    sessions = with_known(_COURSE_SESSIONS.list(course=course.pk, now=now), course=course)
    mine: dict[int, Booking] = {}
    interested = False
    if technician is not None:
        mine = {
            booking.session_id: booking
            for booking in _MY_COURSE_BOOKINGS.list(
                course=course.pk, technician=technician.pk, now=now
            )
        }
        interested = bool(_MY_INTEREST.list(course=course.pk, technician=technician.pk))
    for session in sessions:
        session.my_booking = mine.get(session.pk)
    return CoursePage(course=course, sessions=sessions, interested=interested)


# A course's page, asked at every visit: compiled once (portal.prepared).
_COURSE_SESSIONS = PreparedQuery(
    lambda course, now: _seat_counts(upcoming_sessions(now).filter(course_id=course)).order_by(
        "starts_at", "pk"
    )
)
_MY_COURSE_BOOKINGS = PreparedQuery(
    lambda course, technician, now: Booking.objects.filter(
        technician_id=technician,
        session__course_id=course,
        session__status=Session.Status.SCHEDULED,
        session__starts_at__gt=now,
        status__in=Booking.ACTIVE,
    )
)
_MY_INTEREST = PreparedQuery(
    lambda course, technician: CourseInterest.objects.filter(
        course_id=course, technician_id=technician
    ).values_list("pk")[:1]
)


def session_with_counts(pk: int):
    return _seat_counts(Session.objects.select_related("course")).filter(pk=pk).first()


# --- my training ---------------------------------------------------------------------------


@dataclass
class YearTotals:
    year: int
    by_category: dict[str, Decimal]
    total: Decimal
    targets: dict[str, Decimal]
    target: Decimal

    @property
    def rows(self) -> list[dict[str, Any]]:
        rows = []
        for value, label in Category.choices:
            done, target = self.by_category.get(value, ZERO), self.targets.get(value, ZERO)
            rows.append(
                {
                    "category": value,
                    "label": label,
                    "done": done,
                    "target": target,
                    "percent": min(int(done / target * 100), 100) if target else 100,
                }
            )
        return rows

    @property
    def percent(self) -> int:
        return min(int(self.total / self.target * 100), 100) if self.target else 100


def _year_totals(records: list[TrainingRecord], year: int, fte) -> YearTotals:
    start, end = academic_year_bounds(year)
    by_category: dict[str, Decimal] = {}
    for record in records:
        if start <= record.date <= end:
            by_category[record.category] = by_category.get(record.category, ZERO) + record.days
    return _totals(year, by_category, fte)


def _totals(year: int, days_by_category: dict[str, Decimal], fte) -> YearTotals:
    by_category = dict.fromkeys(Category.values, ZERO) | days_by_category
    return YearTotals(
        year=year,
        by_category=by_category,
        total=sum(by_category.values(), ZERO),
        targets=target_split(fte),
        target=target_total(fte),
    )


OPEN_STATUSES = (Booking.Status.REQUESTED, Booking.Status.CONFIRMED, Booking.Status.WAITLISTED)


@dataclass
class MyTraining:
    bookings_open: list[Booking]
    bookings_past: list[Booking]
    records: list[TrainingRecord]
    this_year: YearTotals
    last_year: YearTotals
    expected_now: Decimal
    on_track: bool
    interests: list[CourseInterest] = field(default_factory=list)


def _my_bookings(technician: int):
    """The person's latest 200 bookings, each with the waiting places ahead of it."""
    ahead = (
        Booking.objects.filter(session=OuterRef("session"), status=Booking.Status.WAITLISTED)
        .filter(
            Q(created__lt=OuterRef("created"))
            | Q(created=OuterRef("created"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Booking.objects.filter(technician_id=technician)
        .annotate(ahead=Coalesce(Subquery(ahead, output_field=IntegerField()), 0))
        .select_related("session__course")
        .order_by("-session__starts_at", "-pk")[:200]
    )


# Compiled once (portal.prepared): My training asks them on every visit.
_MY_BOOKINGS = PreparedQuery(_my_bookings)
_MY_RECORDS = PreparedQuery(
    lambda technician, since: TrainingRecord.objects.filter(
        technician_id=technician, date__gte=since
    ).order_by("-date", "-pk")
)
_MY_INTERESTS = PreparedQuery(
    lambda technician: CourseInterest.objects.filter(technician_id=technician).select_related(
        "course"
    )
)


def my_training(technician, today: datetime.date | None = None) -> MyTraining:
    today = today or timezone.localdate()
    now = timezone.now()
    year = academic_year_of(today)
    last_start, _ = academic_year_bounds(year - 1)
    bookings = _MY_BOOKINGS.list(technician=technician.pk)
    for booking in bookings:
        booking.waiting_position = booking.ahead + 1  # 1 = next to be given a seat
    upcoming = sorted(
        (b for b in bookings if b.session.starts_at > now and b.status in OPEN_STATUSES),
        key=lambda b: b.session.starts_at,
    )
    past = [b for b in bookings if b not in upcoming]
    records = _MY_RECORDS.list(technician=technician.pk, since=last_start)
    this_year = _year_totals(records, year, technician.fte)
    interests = _MY_INTERESTS.list(technician=technician.pk)
    return MyTraining(
        bookings_open=upcoming,
        bookings_past=past,
        records=records,
        this_year=this_year,
        last_year=_year_totals(records, year - 1, technician.fte),
        expected_now=expected_by_now(technician.fte, today),
        on_track=is_on_track(this_year.total, technician.fte, today),
        interests=interests,
    )


@dataclass
class TrainingGlance:
    """What the dashboard shows of a person's training: this year's days against the target,
    and their bookings still to come, soonest first."""

    this_year: YearTotals
    expected_now: Decimal
    on_track: bool
    upcoming: list[Booking]


GLANCE_BOOKINGS = 20
# Compiled once (portal.prepared): every technician's dashboard asks them.
_GLANCE_DAYS = PreparedQuery(
    lambda technician, start, end: (
        TrainingRecord.objects.filter(technician_id=technician, date__gte=start, date__lte=end)
        .order_by()
        .values_list("category")
        .annotate(days=Sum("days"))
    )
)
_GLANCE_BOOKINGS = PreparedQuery(
    lambda technician, now: (
        Booking.objects.filter(
            technician_id=technician, session__starts_at__gt=now, status__in=OPEN_STATUSES
        )
        .select_related("session__course")
        .order_by("session__starts_at", "pk")[:GLANCE_BOOKINGS]
    )
)


def training_at_a_glance(technician, today: datetime.date | None = None) -> TrainingGlance:
    """The dashboard's part of `my_training` in two small queries: the year's days summed by
    category in the database, and the next bookings (no history, no waiting-list places)."""
    today = today or timezone.localdate()
    year = academic_year_of(today)
    start, end = academic_year_bounds(year)
    sums = _GLANCE_DAYS.list(technician=technician.pk, start=start, end=end)
    this_year = _totals(year, dict(sums), technician.fte)
    upcoming = _GLANCE_BOOKINGS.list(technician=technician.pk, now=timezone.now())
    return TrainingGlance(
        this_year=this_year,
        expected_now=expected_by_now(technician.fte, today),
        on_track=is_on_track(this_year.total, technician.fte, today),
        upcoming=upcoming,
    )


# --- attendance history (no-shows and late cancellations, last 12 months) --------------------


def _history_counts(queryset, now: datetime.datetime, start: datetime.datetime | None = None):
    """Each person's no-shows and late cancellations since `start` (the no-show window's start
    for `now`, unless given: a prepared query passes both as values)."""
    if start is None:
        from training.services import no_show_window_start_at

        start = no_show_window_start_at(now)
    no_shows = (
        Booking.objects.filter(
            technician=OuterRef("pk"),
            status=Booking.Status.NO_SHOW,
            session__starts_at__gte=start,
            session__starts_at__lte=now,
        )
        .order_by()
        .values("technician")
        .annotate(n=Count("pk"))
        .values("n")
    )
    late = (
        Booking.objects.filter(
            technician=OuterRef("pk"), cancelled_late=True, cancelled_at__gte=start
        )
        .order_by()
        .values("technician")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(
        no_shows=Coalesce(Subquery(no_shows, output_field=IntegerField()), 0),
        late_cancellations=Coalesce(Subquery(late, output_field=IntegerField()), 0),
    )


# --- line managers -------------------------------------------------------------------------


def team_table(manager, today: datetime.date | None = None) -> list:
    """The manager's team with this year's days by category, the target and the attendance
    history; behind target first."""
    from training.services import no_show_window_start_at

    today = today or timezone.localdate()
    now = timezone.now()
    team = _TEAM.list(manager=manager.pk, now=now, start=no_show_window_start_at(now))
    return _against_targets(team, manager, today)


def team_at_a_glance(manager, today: datetime.date | None = None) -> list:
    """The manager's team as the dashboard shows it: `team_table`'s days and targets, behind
    target first, without the attendance history the team page adds. The members are those
    the dashboard's team panel reads (`technicians.selectors.team_of`, once a request), so
    only the ledger is read here: one grouped query."""
    from technicians.selectors import team_of

    return _against_targets(list(team_of(manager)), manager, today or timezone.localdate())


def _against_targets(team: list, manager, today: datetime.date) -> list:
    """`team` with each member's days this academic year, target and whether they are on
    track, behind target first (sorted in place: give a list of your own)."""
    _add_days_of_year(team, manager, academic_year_of(today))
    for member in team:
        member.target = target_total(member.fte)
        member.expected = expected_by_now(member.fte, today)
        member.on_track = member.days_total >= member.expected
        member.behind_by = max(member.expected - member.days_total, ZERO)
    team.sort(key=lambda m: (m.on_track, -m.behind_by, m.last_name, m.first_name))
    return team


def _add_days_of_year(people: list, manager, year: int) -> None:
    """Each of the manager's team's days of the academic year, in all (`days_total`) and by
    category (`days_<category>`): one grouped query of the ledger. Summed apart from the
    people's own query, so their rows are neither grouped nor their history counted once per
    record."""
    start, end = academic_year_bounds(year)
    days: dict[tuple[int, str], Decimal] = {
        (technician_id, category): total
        for technician_id, category, total in _TEAM_DAYS.list(
            manager=manager.pk, start=start, end=end
        )
    }
    totals: dict[int, Decimal] = {}
    for (technician_id, _category), total in days.items():
        totals[technician_id] = totals.get(technician_id, ZERO) + total
    for person in people:
        for category in Category.values:
            setattr(person, f"days_{category}", days.get((person.pk, category), ZERO))
        person.days_total = totals.get(person.pk, ZERO)


def approvals_waiting(user, me) -> list[Booking]:
    """Requested bookings `user` decides: their team's (a coordinator: everyone's), oldest
    first."""
    from training import permissions as rules

    if rules.can_manage_catalogue(user):
        return _approvals(_everyones_requests(timezone.now()))
    if me is None:
        return []
    return _TEAM_APPROVALS.list(manager=me.pk, now=timezone.now())


@dataclass(frozen=True)
class Waiting:
    count: int
    oldest: datetime.datetime | None  # when the longest-waiting booking was asked


def approvals_waiting_count(user, me) -> Waiting:
    """How many bookings `user` decides are waiting (every one of `approvals_waiting`'s, not
    only the first page of them), and when the oldest was asked. One query."""
    from training import permissions as rules

    if rules.can_manage_catalogue(user):
        rows = list(_count_and_oldest(_everyones_requests(timezone.now())))
    elif me is None:
        rows = []
    else:
        rows = _TEAM_WAITING.list(manager=me.pk, now=timezone.now())
    return Waiting(rows[0]["count"], rows[0]["oldest"]) if rows else Waiting(0, None)


def _everyones_requests(now: datetime.datetime) -> QuerySet[Booking]:
    # Few bookings wait: the status in the SQL's text, so PostgreSQL plans the count once.
    return Booking.objects.filter(
        status=Fixed(Booking.Status.REQUESTED), session__starts_at__gt=now
    )


def _team_requests(manager: int, now: datetime.datetime) -> QuerySet[Booking]:
    return _everyones_requests(now).filter(technician__line_manager_id=manager)


def _count_and_oldest(requests: QuerySet[Booking]) -> QuerySet:
    """One row (none when nothing waits): how many, and the oldest request's time. Grouped by
    the status, which the requests share."""
    return requests.order_by().values("status").annotate(count=Count("pk"), oldest=Min("created"))


def _approvals(bookings) -> QuerySet[Booking]:
    return bookings.select_related("session__course", "technician__department").order_by(
        "created", "pk"
    )[:200]


# A line manager's panel, on their dashboard at every visit: compiled once (portal.prepared).
_TEAM = PreparedQuery(
    lambda manager, now, start: _history_counts(
        _team_of(manager).select_related("department"), now, start
    )
)
_TEAM_DAYS = PreparedQuery(
    lambda manager, start, end: (
        TrainingRecord.objects.filter(
            technician__line_manager_id=manager,
            technician__is_active=True,
            date__gte=start,
            date__lte=end,
        )
        .values_list("technician_id", "category")
        .annotate(total=Sum("days"))
        .order_by()
    )
)
_TEAM_APPROVALS = PreparedQuery(lambda manager, now: _approvals(_team_requests(manager, now)))
_TEAM_WAITING = PreparedQuery(lambda manager, now: _count_and_oldest(_team_requests(manager, now)))


def _team_of(manager: int):
    from technicians.models import Technician

    return Technician.objects.filter(line_manager_id=manager, is_active=True)


# --- HR ------------------------------------------------------------------------------------


@dataclass
class UnitTotals:
    name: str
    faculty: str
    technicians: int = 0
    days: Decimal = ZERO
    on_track: int = 0
    by_category: dict[str, Decimal] = field(
        default_factory=lambda: dict.fromkeys(Category.values, ZERO)
    )

    @property
    def on_track_percent(self) -> int:
        return round(self.on_track * 100 / self.technicians) if self.technicians else 0

    @property
    def average(self) -> Decimal:
        return (self.days / self.technicians).quantize(TWO_PLACES) if self.technicians else ZERO


@dataclass
class HrTotals:
    year: int
    departments: list[UnitTotals]
    faculties: list[UnitTotals]
    all: UnitTotals


def hr_totals(today: datetime.date | None = None, year: int | None = None) -> HrTotals:
    """This year's days by department and faculty and the share of technicians on track (one
    query over the active technicians). For a past year, on track means the whole target."""
    from technicians.models import Technician

    today = today or timezone.localdate()
    current = academic_year_of(today)
    year = current if year is None else year
    as_of = today if year == current else academic_year_bounds(year)[1]
    rows = (
        Technician.objects.filter(is_active=True)
        .values("pk", "fte", "department__name", "department__faculty")
        .annotate(
            days_total=_days_sum(year),
            **{f"days_{category}": _days_sum(year, category) for category in Category.values},
        )
        .order_by()
    )
    departments: dict[str, UnitTotals] = {}
    faculties: dict[str, UnitTotals] = {}
    everyone = UnitTotals(name="All technicians", faculty="")
    # 12,500 rows: each unit made once, each FTE's expected days worked out once (as
    # is_on_track does), the categories read once.
    expected: dict[Decimal, Decimal] = {}
    categories = [(category, f"days_{category}") for category in Category.values]
    for row in rows:
        fte = row["fte"]
        if fte not in expected:
            expected[fte] = expected_by_now(fte, as_of)
        on_track = Decimal(row["days_total"] or 0) >= expected[fte]
        name, faculty = row["department__name"], row["department__faculty"]
        if name not in departments:
            departments[name] = UnitTotals(name=name, faculty=faculty)
        if faculty not in faculties:
            faculties[faculty] = UnitTotals(name=faculty, faculty=faculty)
        for unit in (departments[name], faculties[faculty], everyone):
            unit.technicians += 1
            unit.days += row["days_total"]
            unit.on_track += on_track
            for category, column in categories:
                unit.by_category[category] += row[column]
    return HrTotals(
        year=year,
        departments=sorted(departments.values(), key=lambda u: (u.on_track_percent, u.name)),
        faculties=sorted(faculties.values(), key=lambda u: (u.on_track_percent, u.name)),
        all=everyone,
    )


# --- training coordinators -----------------------------------------------------------------


def coordinator_overview(
    now: datetime.datetime | None = None, *, first: tuple[int, int, int] = (50, 100, 100)
) -> dict[str, Any]:
    """Attention first: registers still to mark, this week's sessions with their fill and
    waiting lists, then the rest of the upcoming programme; at most `first` of each, in that
    order (the dashboard shows a few), and how many sessions the week holds in all."""
    now = now or timezone.now()
    week_end = now + datetime.timedelta(days=7)
    to_mark, this_week, waiting_lists = _coordinator_queries(first)
    most_this_week = first[1]
    shown_this_week = this_week.list(now=now, week_end=week_end)
    # The week's number of sessions, counted only when there are more than are shown.
    this_week_count = (
        upcoming_sessions(now).filter(starts_at__lte=week_end).count()
        if len(shown_this_week) > most_this_week
        else len(shown_this_week)
    )
    return {
        "to_mark": to_mark.list(now=now, since=now - datetime.timedelta(days=60)),
        "this_week": shown_this_week[:most_this_week],
        "this_week_count": this_week_count,
        "waiting_lists": waiting_lists.list(now=now, week_end=week_end),
    }


@functools.cache
def _coordinator_queries(
    first: tuple[int, int, int],
) -> tuple[PreparedQuery, PreparedQuery, PreparedQuery]:
    """The overview's three lists, compiled once for each length asked (portal.prepared): the
    coordinators' dashboards ask them at every visit."""
    most_to_mark, most_this_week, most_waiting = first
    to_mark = PreparedQuery(
        lambda now, since: (
            _seat_counts(
                Session.objects.filter(
                    status=Session.Status.SCHEDULED, starts_at__lte=now, starts_at__gte=since
                ).filter(
                    Exists(
                        Booking.objects.filter(
                            session=OuterRef("pk"), status=Booking.Status.CONFIRMED
                        )
                    )
                )
            )
            .select_related("course")
            .annotate(
                unmarked=Count("bookings", filter=Q(bookings__status=Booking.Status.CONFIRMED))
            )
            .order_by("starts_at", "pk")[:most_to_mark]
        )
    )
    this_week = PreparedQuery(
        lambda now, week_end: (
            _seat_counts(upcoming_sessions(now).filter(starts_at__lte=week_end))
            .select_related("course")
            .order_by("starts_at", "pk")[: most_this_week + 1]
        )
    )
    waiting_lists = PreparedQuery(
        lambda now, week_end: (
            _seat_counts(upcoming_sessions(now).filter(starts_at__gt=week_end))
            .select_related("course")
            # Few sessions have a waiting list: the status in the SQL's text (`Fixed`), so
            # PostgreSQL plans the query once rather than at every visit.
            .filter(
                Exists(
                    Booking.objects.filter(
                        session=OuterRef("pk"), status=Fixed(Booking.Status.WAITLISTED)
                    )
                )
            )
            .order_by("starts_at", "pk")[:most_waiting]
        )
    )
    return to_mark, this_week, waiting_lists


def session_register(session: Session) -> dict[str, list[Booking]]:
    """The session's bookings, seats first then the waiting list in order, each technician
    with their no-shows and late cancellations of the last 12 months."""
    from technicians.models import Technician

    technicians = _history_counts(Technician.objects.select_related("department"), timezone.now())
    bookings = list(
        Booking.objects.filter(session=session)
        .prefetch_related(Prefetch("technician", queryset=technicians))
        .select_related("record")
        .order_by("created", "pk")
    )
    groups: dict[str, list[Booking]] = {"seats": [], "waiting": [], "requested": [], "other": []}
    for booking in bookings:
        if booking.status in Booking.HOLDS_SEAT:
            groups["seats"].append(booking)
        elif booking.status == Booking.Status.WAITLISTED:
            groups["waiting"].append(booking)
        elif booking.status == Booking.Status.REQUESTED:
            groups["requested"].append(booking)
        else:
            groups["other"].append(booking)
    return groups


def feed_bookings(technician):
    """Booked (confirmed or attended), uncancelled sessions for the calendar feed."""
    return (
        Booking.objects.filter(
            technician=technician,
            status__in=(Booking.Status.CONFIRMED, Booking.Status.ATTENDED),
            session__status=Session.Status.SCHEDULED,
        )
        .select_related("session__course")
        .order_by("session__starts_at", "pk")
    )


def sessions_tomorrow_bookings(today: datetime.date):
    tomorrow = today + datetime.timedelta(days=1)
    return (
        Booking.objects.filter(
            status=Booking.Status.CONFIRMED,
            session__status=Session.Status.SCHEDULED,
            session__starts_at__date=tomorrow,
            technician__is_active=True,
        )
        .select_related("session__course", "technician__user")
        .order_by("session__starts_at", "pk")
    )


def bookable_technicians(user):
    """Whom `user` may book: themself and their team; a coordinator, every current technician."""
    from technicians.models import Technician
    from training import permissions as rules

    if rules.can_manage_catalogue(user):
        return Technician.objects.filter(is_active=True).select_related("department")
    me = rules.technician_of(user)
    if me is None or not me.is_active or not rules.is_staff_member(user):
        return Technician.objects.none()
    return Technician.objects.filter(
        Q(pk=me.pk) | Q(line_manager=me, is_active=True)
    ).select_related("department")


def calendar_token(token: str):
    """The CalendarToken of a feed address (with its technician), or None."""
    from training.models import CalendarToken

    if not token:
        return None
    return CalendarToken.objects.select_related("technician").filter(token=token).first()
