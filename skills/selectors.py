"""Read-only queries of the skills matrix, the skill pages, reviews and dashboard panels.

Every count is aggregated in the database (one GROUP BY per grid, never a query per cell),
so each page runs a constant number of queries whatever the number of technicians.
The risk of a cell always comes from `skills.risk`.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.http import urlencode

from skills import risk as rules
from skills.models import ShadowingRequest, Skill, TechnicianSkill
from technicians import permissions as directory_rules
from technicians.models import Department, Technician

LEVELS = tuple(TechnicianSkill.Level.values)  # 1..4
LEVEL_CHOICES = tuple(TechnicianSkill.Level.choices)
LEVEL_LABELS = dict(LEVEL_CHOICES)

FACULTIES = "faculties"
DEPARTMENTS = "departments"
PEOPLE = "people"


@dataclass
class Unit:
    key: str
    label: str
    size: int  # active technicians in the unit (1 for a person)
    url: str = ""


@dataclass
class Cell:
    counts: dict[int, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))
    stale: int = 0
    differ: int = 0
    level: int | None = None  # people level: the person's level
    validated_level: int | None = None
    confirmed_on: datetime.date | None = None

    @property
    def holders(self) -> int:
        return sum(n for level, n in self.counts.items() if level >= rules.PRACTITIONER)

    @property
    def trainers(self) -> int:
        return sum(n for level, n in self.counts.items() if level >= rules.TRAINER)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def risk(self) -> str:
        return rules.risk_from_counts(self.holders, self.trainers)

    @property
    def risk_label(self) -> str:
        return rules.RISK_LABELS[self.risk]

    @property
    def level_counts(self) -> list[tuple[int, str, int]]:
        return [(level, LEVEL_LABELS[level], self.counts[level]) for level in LEVELS]

    def add(self, level: int, count: int, stale: int = 0, differ: int = 0) -> None:
        self.counts[level] = self.counts.get(level, 0) + count
        self.stale += stale
        self.differ += differ


@dataclass
class SkillRow:
    skill: Skill
    cells: list[Cell]  # one per unit, in unit order
    total: Cell  # the whole scope of the matrix (all units together)
    untaught_faculties: list[str]

    @property
    def at_risk(self) -> bool:
        return (
            bool(self.untaught_faculties)
            or any(cell.risk in rules.AT_RISK for cell in self.cells)
            or self.total.risk in rules.AT_RISK
        )


@dataclass
class Matrix:
    mode: str  # faculties | departments | people
    validated: bool
    units: list[Unit]
    categories: list[tuple[str, list[SkillRow]]]
    faculty: str = ""
    department: Department | None = None
    hidden_people: bool = False  # a unit too small to show people
    current_unit: int = 0  # the one unit shown on a phone

    @property
    def rows(self) -> list[SkillRow]:
        return [row for _category, rows in self.categories for row in rows]

    @property
    def mode_label(self) -> str:
        return {FACULTIES: "Faculty", DEPARTMENTS: "Department", PEOPLE: "Person"}[self.mode]


def faculty_names() -> list[str]:
    return list(Department.objects.order_by("faculty").values_list("faculty", flat=True).distinct())


def skill_categories() -> list[str]:
    return list(Skill.objects.order_by("category").values_list("category", flat=True).distinct())


def _departments() -> list[Department]:
    return list(
        Department.objects.annotate(
            active_count=Count("technicians", filter=Q(technicians__is_active=True))
        ).order_by("faculty", "name")
    )


def _aggregate(rows, unit_field: str | None, level_field: str, today: datetime.date):
    """{(skill_id, unit key): Cell} from one GROUP BY over TechnicianSkill rows (unit key ""
    when `unit_field` is None: the whole of `rows`)."""
    differs = Q(validated_level__isnull=False) & ~Q(validated_level=F("level"))
    fields = ["skill_id", level_field] + ([unit_field] if unit_field else [])
    grouped = (
        rows.values(*fields)
        .order_by()
        .annotate(
            n=Count("pk"),
            stale=Count("pk", filter=rules.stale_filter(today)),
            differ=Count("pk", filter=differs),
        )
    )
    cells: dict[tuple[int, str], Cell] = defaultdict(Cell)
    for item in grouped:
        level = item[level_field]
        if level is None:  # not validated yet, when counting validated levels
            continue
        key = str(item[unit_field]) if unit_field else ""
        cells[(item["skill_id"], key)].add(level, item["n"], item["stale"], item["differ"])
    return cells


def skills_matrix(
    user,
    *,
    faculty: str = "",
    department: Department | None = None,
    category: str = "",
    at_risk_only: bool = False,
    validated: bool = False,
    unit: str = "",
    today: datetime.date | None = None,
) -> Matrix:
    """The matrix the user asked for: faculties; or the departments of `faculty`; or the
    people of `department` (only those `user` may see, and only when the department is large
    enough). Seven queries at most, whatever the number of technicians or skills."""
    today = today or timezone.localdate()
    level_field = rules.level_field(validated)
    departments = _departments()
    active_rows = TechnicianSkill.objects.filter(technician__is_active=True)
    if category:
        active_rows = active_rows.filter(skill__category=category)

    hidden_people = False
    faculty_trainers: dict[tuple[int, str], int] = {}
    if department is not None:
        mode = PEOPLE
        faculty = department.faculty
        size = next((d.active_count for d in departments if d.pk == department.pk), 0)
        scope = active_rows.filter(technician__department=department)
        if rules.unit_shows_people(size):
            people = list(
                Technician.objects.filter(
                    directory_rules.visible_technicians_filter(user),
                    department=department,
                    is_active=True,
                ).order_by("last_name", "first_name", "pk")
            )
        else:
            people, hidden_people = [], True
        units = [
            Unit(str(person.pk), person.full_name, 1, person.get_absolute_url())
            for person in people
        ]
        # People: each cell is one person's rating (only people `user` may see).
        cells = defaultdict(Cell)
        person_rows = (
            scope.filter(technician__in=[p.pk for p in people])
            .values_list("skill_id", "technician_id", "level", "validated_level", "confirmed_on")
            .order_by()
        )
        for skill_id, technician_id, level, validated_level, confirmed_on in person_rows:
            cell = cells[(skill_id, str(technician_id))]
            cell.level, cell.validated_level, cell.confirmed_on = (
                level,
                validated_level,
                confirmed_on,
            )
            counted = validated_level if validated else level
            if counted is not None:
                cell.add(
                    counted,
                    1,
                    stale=int(rules.is_stale(confirmed_on, today)),
                    differ=int(validated_level is not None and validated_level != level),
                )
        # The department as a whole: counts are open to all staff.
        totals = {
            skill_id: cell
            for (skill_id, _key), cell in _aggregate(scope, None, level_field, today).items()
        }
        faculty_grouped = (
            active_rows.filter(technician__department__faculty=faculty)
            .values("skill_id")
            .order_by()
            .annotate(trainers=Count("pk", filter=Q(**{f"{level_field}__gte": rules.TRAINER})))
        )
        faculty_trainers = {(g["skill_id"], faculty): g["trainers"] for g in faculty_grouped}
        faculty_of_unit = {}
    elif faculty:
        mode = DEPARTMENTS
        in_faculty = [d for d in departments if d.faculty == faculty]
        units = [
            Unit(str(d.pk), d.name, d.active_count, "?" + urlencode({"department": d.pk}))
            for d in in_faculty
        ]
        cells = _aggregate(
            active_rows.filter(technician__department__faculty=faculty),
            "technician__department_id",
            level_field,
            today,
        )
        totals = None
        faculty_of_unit = {u.key: faculty for u in units}
    else:
        mode = FACULTIES
        sizes: dict[str, int] = defaultdict(int)
        for d in departments:
            sizes[d.faculty] += d.active_count
        units = [
            Unit(name, name, size, "?" + urlencode({"faculty": name}))
            for name, size in sizes.items()
        ]
        cells = _aggregate(active_rows, "technician__department__faculty", level_field, today)
        totals = None
        faculty_of_unit = {u.key: u.key for u in units}

    skill_ids = {skill_id for skill_id, _unit in cells}
    if totals is not None:
        skill_ids |= set(totals)
    all_skills = Skill.objects.filter(pk__in=skill_ids).order_by("category", "name")

    categories: list[tuple[str, list[SkillRow]]] = []
    for skill in all_skills:
        row_cells = [cells.get((skill.pk, u.key)) or Cell() for u in units]
        if totals is not None:
            total = totals.get(skill.pk) or Cell()
        else:
            total = Cell()
            for cell in row_cells:
                for level, n in cell.counts.items():
                    total.add(level, n)
                total.stale += cell.stale
                total.differ += cell.differ
        # Untaught: nobody in the faculty can train others.
        trainers_by_faculty: dict[str, int] = defaultdict(int)
        if mode == PEOPLE:
            trainers_by_faculty[faculty] = faculty_trainers.get((skill.pk, faculty), 0)
        else:
            for unit_, cell in zip(units, row_cells, strict=True):
                trainers_by_faculty[faculty_of_unit[unit_.key]] += cell.trainers
        untaught = [name for name, n in trainers_by_faculty.items() if rules.is_untaught(n)]
        row = SkillRow(skill, row_cells, total, untaught)
        if at_risk_only and not row.at_risk:
            continue
        if categories and categories[-1][0] == skill.category:
            categories[-1][1].append(row)
        else:
            categories.append((skill.category, [row]))

    keys = [u.key for u in units]
    current = keys.index(unit) if unit in keys else _own_unit_index(user, mode, keys)
    return Matrix(
        mode=mode,
        validated=validated,
        units=units,
        categories=categories,
        faculty=faculty,
        department=department,
        hidden_people=hidden_people,
        current_unit=current,
    )


def _own_unit_index(user, mode: str, keys: list[str]) -> int:
    """On a phone the matrix opens at the viewer's own faculty, department or self."""
    me = directory_rules.technician_of(user)
    if me is None:
        return 0
    own = {
        FACULTIES: me.department.faculty,
        DEPARTMENTS: str(me.department_id),
        PEOPLE: str(me.pk),
    }[mode]
    return keys.index(own) if own in keys else 0


def department_for_filter(department_id: str | int | None) -> Department | None:
    if not department_id:
        return None
    try:
        return Department.objects.filter(pk=int(department_id)).first()
    except (TypeError, ValueError):
        return None


def matrix_csv_rows(matrix: Matrix):
    """What the matrix shows, one line per skill and unit."""
    people = matrix.mode == PEOPLE
    for category, rows in matrix.categories:
        for row in rows:
            for unit, cell in zip(matrix.units, row.cells, strict=True):
                if people:
                    yield [
                        category,
                        row.skill.name,
                        unit.label,
                        cell.level or "",
                        cell.validated_level or "",
                        cell.confirmed_on.isoformat() if cell.confirmed_on else "",
                        "yes" if cell.stale else "",
                    ]
                else:
                    yield [
                        category,
                        row.skill.name,
                        unit.label,
                        *(cell.counts[level] for level in LEVELS),
                        cell.holders,
                        cell.trainers,
                        cell.risk_label,
                        cell.stale,
                        cell.differ,
                    ]


def matrix_csv_header(matrix: Matrix) -> list[str]:
    if matrix.mode == PEOPLE:
        return [
            "Category",
            "Skill",
            "Person",
            "Level",
            "Validated level",
            "Confirmed on",
            "Stale",
        ]
    return [
        "Category",
        "Skill",
        matrix.mode_label,
        *(f"Level {level}: {TechnicianSkill.Level(level).label}" for level in LEVELS),
        "Practitioners or above",
        "Can train others",
        "Risk",
        "Stale ratings",
        "Validated level differs",
    ]


def skill_by_pk(pk: int) -> Skill | None:
    return Skill.objects.filter(pk=pk).first()


def technician_by_pk(pk: int) -> Technician | None:
    return Technician.objects.select_related("department").filter(pk=pk).first()


def technician_skill_by_pk(pk: int) -> TechnicianSkill | None:
    return TechnicianSkill.objects.select_related("technician", "skill").filter(pk=pk).first()


# --- one skill ------------------------------------------------------------------------------


@dataclass
class SkillPage:
    skill: Skill
    faculty_cells: list[tuple[str, Cell]]
    department_cells: list[tuple[Department, Cell]]
    overall: Cell
    holders: list[TechnicianSkill]
    teachers: list[TechnicianSkill]  # nearest first
    mine: TechnicianSkill | None
    my_requests: list[ShadowingRequest]


def skill_page(skill: Skill, user, *, today: datetime.date | None = None) -> SkillPage:
    """Who holds `skill` (those `user` may see), who can teach it nearest first (my
    department, my faculty, everyone), and its risk in each faculty and department."""
    today = today or timezone.localdate()
    departments = _departments()
    by_department = _aggregate(
        TechnicianSkill.objects.filter(skill=skill, technician__is_active=True),
        "technician__department_id",
        "level",
        today,
    )
    department_cells = []
    faculty_totals: dict[str, Cell] = {}
    overall = Cell()
    for department in departments:
        cell = by_department.get((skill.pk, str(department.pk)))
        if cell is None:
            continue
        department_cells.append((department, cell))
        total = faculty_totals.setdefault(department.faculty, Cell())
        for level, n in cell.counts.items():
            total.add(level, n)
            overall.add(level, n)
        total.stale += cell.stale
        overall.stale += cell.stale
    for department in departments:  # faculties where nobody holds it at all
        faculty_totals.setdefault(department.faculty, Cell())

    holders = list(
        TechnicianSkill.objects.filter(skill=skill)
        .filter(
            technician__in=Technician.objects.filter(
                directory_rules.visible_technicians_filter(user), is_active=True
            ).values("pk")
        )
        .select_related("technician__department")
        .order_by("-level", "technician__last_name", "technician__first_name", "pk")
    )
    me = directory_rules.technician_of(user)
    teachers = [row for row in holders if row.level >= rules.TRAINER]
    if me is not None:
        teachers = [row for row in teachers if row.technician_id != me.pk]

        def nearness(row: TechnicianSkill) -> int:
            if row.technician.department_id == me.department_id:
                return 0
            if row.technician.department.faculty == me.department.faculty:
                return 1
            return 2

        teachers.sort(key=nearness)  # stable: keeps name order within each band
    mine = None
    my_requests: list[ShadowingRequest] = []
    if me is not None:
        mine = next((row for row in holders if row.technician_id == me.pk), None)
        if mine is None:
            mine = TechnicianSkill.objects.filter(technician=me, skill=skill).first()
        my_requests = list(
            ShadowingRequest.objects.filter(learner=me, skill=skill)
            .select_related("teacher")
            .order_by("-created", "-pk")
        )
    return SkillPage(
        skill=skill,
        faculty_cells=sorted(faculty_totals.items()),
        department_cells=department_cells,
        overall=overall,
        holders=holders,
        teachers=teachers,
        mine=mine,
        my_requests=my_requests,
    )


def open_request_teacher_ids(page: SkillPage) -> set[int]:
    return {r.teacher_id for r in page.my_requests if r.is_open}


# --- reviews, shadowing and panels -------------------------------------------------------------


def my_skills(technician: Technician, *, today: datetime.date | None = None):
    """The technician's skills, stale ones first, each with `is_stale` and `due_on` set."""
    today = today or timezone.localdate()
    rows = list(
        TechnicianSkill.objects.filter(technician=technician)
        .select_related("skill", "validated_by")
        .order_by("skill__category", "skill__name")
    )
    for row in rows:
        row.is_stale = rules.is_stale(row.confirmed_on, today)
        row.due_on = rules.review_due_on(row.confirmed_on)
    rows.sort(key=lambda row: not row.is_stale)
    return rows


def team_skills(manager: Technician, *, today: datetime.date | None = None):
    """The skills of the manager's current team: waiting for validation (or stale) first."""
    today = today or timezone.localdate()
    rows = list(
        TechnicianSkill.objects.filter(technician__line_manager=manager, technician__is_active=True)
        .select_related("skill", "technician")
        .order_by("technician__last_name", "technician__first_name", "skill__name")
    )
    for row in rows:
        row.is_stale = rules.is_stale(row.confirmed_on, today)
        row.waiting = row.validated_level is None and row.level >= rules.PRACTITIONER
    rows.sort(key=lambda row: (not row.waiting, not row.is_stale))
    return rows


def shadowing_for(technician: Technician):
    """(asked of me, asked by me): what waits for me first, then newest first."""
    related = ("learner__department", "teacher__department", "skill")
    asked_of_me = list(ShadowingRequest.objects.filter(teacher=technician).select_related(*related))
    asked_by_me = list(ShadowingRequest.objects.filter(learner=technician).select_related(*related))
    order = {ShadowingRequest.Status.REQUESTED: 0, ShadowingRequest.Status.ACCEPTED: 1}
    asked_of_me.sort(key=lambda r: order.get(r.status, 2))
    asked_by_me.sort(key=lambda r: order.get(r.status, 2))
    return asked_of_me, asked_by_me


def shadowing_by_pk(pk: int) -> ShadowingRequest | None:
    return (
        ShadowingRequest.objects.select_related("learner", "teacher", "skill").filter(pk=pk).first()
    )


def skills_at_risk_by_faculty(limit: int = 5) -> list[dict]:
    """For the steering group and HR: per faculty, how many skills are at risk or untaught,
    and the first few of them. One query."""
    grouped = (
        TechnicianSkill.objects.filter(technician__is_active=True)
        .values("technician__department__faculty", "skill_id", "skill__name")
        .order_by()
        .annotate(
            holders=Count("pk", filter=Q(level__gte=rules.PRACTITIONER)),
            trainers=Count("pk", filter=Q(level__gte=rules.TRAINER)),
        )
    )
    faculties: dict[str, dict] = {}
    for item in grouped:
        name = item["technician__department__faculty"]
        entry = faculties.setdefault(
            name, {"faculty": name, "single_point": 0, "thin": 0, "untaught": 0, "items": []}
        )
        risk = rules.risk_from_counts(item["holders"], item["trainers"])
        if risk in rules.AT_RISK:
            entry[risk] += 1
            entry["items"].append((risk, item["skill__name"], item["skill_id"]))
        if item["holders"] and rules.is_untaught(item["trainers"]):
            entry["untaught"] += 1
    result = []
    for entry in sorted(faculties.values(), key=lambda e: e["faculty"]):
        entry["items"] = sorted(entry["items"], key=lambda i: (i[0] != rules.SINGLE_POINT, i[1]))
        entry["total"] = len(entry["items"])
        entry["items"] = [
            {"risk": rules.RISK_LABELS[r], "name": n, "pk": pk} for r, n, pk in entry["items"]
        ][:limit]
        result.append(entry)
    result.sort(key=lambda e: -e["total"])
    return result


def skill_demand(limit: int = 20) -> list[Skill]:
    """The skills most wanted, with how many want them and how many can teach them."""
    active = Q(technician_skills__technician__is_active=True)
    return list(
        Skill.objects.annotate(
            wanted=Count(
                "technician_skills", filter=active & Q(technician_skills__wants_to_learn=True)
            ),
            teachers=Count(
                "technician_skills",
                filter=active & Q(technician_skills__level__gte=rules.TRAINER),
            ),
        )
        .filter(wanted__gt=0)
        .order_by("-wanted", "teachers", "name")[:limit]
    )


def review_summary(technician: Technician, *, today: datetime.date | None = None) -> dict:
    """For the technician's panel: stale skills and shadowing waiting. Two queries."""
    today = today or timezone.localdate()
    stale = TechnicianSkill.objects.filter(rules.stale_filter(today), technician=technician).count()
    shadowing = ShadowingRequest.objects.filter(
        Q(teacher=technician, status=ShadowingRequest.Status.REQUESTED)
        | Q(learner=technician, status__in=ShadowingRequest.OPEN_STATUSES)
    ).aggregate(
        waiting_for_me=Count("pk", filter=Q(teacher=technician, status="requested")),
        mine_open=Count("pk", filter=Q(learner=technician)),
    )
    return {"stale": stale, **shadowing}


def team_review_summary(manager: Technician, *, today: datetime.date | None = None) -> dict:
    """For the line manager's panel: the team's stale ratings and validations waiting."""
    today = today or timezone.localdate()
    return TechnicianSkill.objects.filter(
        technician__line_manager=manager, technician__is_active=True
    ).aggregate(
        stale=Count("pk", filter=rules.stale_filter(today)),
        waiting=Count("pk", filter=Q(validated_level__isnull=True, level__gte=rules.PRACTITIONER)),
    )
