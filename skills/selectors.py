"""Read-only queries of the skills matrix, the skill pages, reviews and dashboard panels.

Every count is aggregated in the database (one GROUP BY per grid, never a query per cell),
so each page runs a constant number of queries whatever the number of technicians.
The risk of a cell always comes from `skills.risk`.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe

from portal import versions
from portal.forms import SharedChoices
from portal.prepared import PreparedQuery
from skills import risk as rules
from skills.models import ShadowingRequest, Skill, TechnicianSkill, UnitSkillNeed
from skills.versions import SKILLS
from technicians import permissions as directory_rules
from technicians import versions as people_versions
from technicians.models import Department, Technician

LEVELS = tuple(TechnicianSkill.Level.values)  # 1..4
LEVEL_CHOICES = tuple(TechnicianSkill.Level.choices)
LEVEL_LABELS = dict(LEVEL_CHOICES)
_LEVEL_TITLES = {level: escape(label) for level, label in LEVEL_CHOICES}

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
    need: int | None = None  # holders the unit wants (its declared need); None: not needed

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
        """Judged only against the unit's declared need: "" where the unit declared none."""
        if self.need is None:
            return ""
        return rules.risk_from_counts(self.holders, self.trainers, wanted=self.need)

    @property
    def risk_label(self) -> str:
        return rules.RISK_LABELS[self.risk] if self.risk else rules.NOT_NEEDED_LABEL

    @property
    def at_risk(self) -> bool:
        return self.risk in rules.UNMET

    @property
    def level_counts(self) -> list[tuple[int, str, int]]:
        return [(level, LEVEL_LABELS[level], self.counts[level]) for level in LEVELS]

    @property
    def summary_html(self) -> SafeString:
        """The cell's content: its risk against the need, its count per level, stale and
        differently validated ratings. Written here rather than by a template included per
        cell: a matrix has hundreds of cells, and the include was most of the page's cost."""
        parts = []
        if self.need:
            parts.append(
                f'<span class="risk-label">{escape(self.risk_label)}</span> '
                f'<span class="need-note">{self.need} wanted</span>'
            )
        parts.append(
            '\n<span class="level-counts">'
            + "".join(
                f'<span class="lc{"" if n else " lc-zero"}"><abbr title="{_LEVEL_TITLES[level]}">'
                f"L{level}</abbr> {n}</span>"
                for level, n in ((level, self.counts[level]) for level in LEVELS)
            )
            + "</span>\n"
        )
        if self.stale:
            parts.append(f'<span class="cell-note">{self.stale} stale</span>')
        if self.differ:
            parts.append(f'\n<span class="cell-note">{self.differ} validated differently</span>')
        return mark_safe("".join(parts))  # noqa: S308 (numbers and escaped labels only)

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
        """A need of a unit shown is unmet, or a faculty that needs it has nobody to teach it."""
        return (
            bool(self.untaught_faculties)
            or any(cell.at_risk for cell in self.cells)
            or self.total.at_risk
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


@dataclass
class Needs:
    """Every declared need (UnitSkillNeed), indexed: (department id, skill id) -> holders
    wanted; (faculty, skill id) -> holders wanted; and (faculty, skill id) where the faculty
    or one of its departments needs the skill."""

    by_department: dict[tuple[int, int], int]
    by_faculty: dict[tuple[str, int], int]
    needed_in_faculty: set[tuple[str, int]]


def unit_needs() -> Needs:
    """Every unit's declared needs: one query (a few hundred small rows)."""
    needs = Needs({}, {}, set())
    for (
        department_id,
        faculty_of_department,
        faculty,
        skill_id,
        wanted,
    ) in UnitSkillNeed.objects.values_list(
        "department_id", "department__faculty", "faculty", "skill_id", "min_holders"
    ).order_by():
        if department_id is not None:
            needs.by_department[(department_id, skill_id)] = wanted
            needs.needed_in_faculty.add((faculty_of_department, skill_id))
        else:
            needs.by_faculty[(faculty, skill_id)] = wanted
            needs.needed_in_faculty.add((faculty, skill_id))
    return needs


def faculty_names() -> list[str]:
    """Every faculty, by name: the same for everyone, kept under the "people" version."""
    return versions.cached(
        "skills.faculty_names",
        depends_on=(people_versions.PEOPLE,),
        compute=lambda: list(
            Department.objects.order_by("faculty").values_list("faculty", flat=True).distinct()
        ),
    )


def skill_categories() -> list[str]:
    """Every skill category, by name: kept under the "skills" version."""
    return versions.cached(
        "skills.categories",
        depends_on=(SKILLS,),
        compute=lambda: list(
            Skill.objects.order_by("category").values_list("category", flat=True).distinct()
        ),
    )


def _departments() -> list[Department]:
    """Every department with its number of current technicians: counted once for every
    viewer and kept under the "people" version (portal.versions)."""
    return versions.cached(
        "skills.departments",
        depends_on=(people_versions.PEOPLE,),
        compute=lambda: list(
            Department.objects.annotate(
                active_count=Count("technicians", filter=Q(technicians__is_active=True))
            ).order_by("faculty", "name")
        ),
    )


def _unit_cells(
    rows, unit_field: str, level_field: str, today: datetime.date, *, faculty: str, category: str
) -> dict[tuple[int, str], Cell]:
    """`_aggregate` by faculty (faculty "") or by the departments of `faculty`: the same for
    every viewer, so counted once and kept under the skills and people versions (and the day,
    which decides what is stale)."""
    scope = hashlib.sha256(f"{faculty}\n{category}".encode()).hexdigest()[:20]
    return versions.cached(
        f"skills.cells:{unit_field}:{level_field}:{scope}:{today.isoformat()}",
        depends_on=(SKILLS, people_versions.PEOPLE),
        compute=lambda: dict(_aggregate(rows, unit_field, level_field, today)),
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
    enough). Seven queries at most, whatever the number of technicians or skills.

    Faculties and a faculty's departments show counts, the same for every viewer: that matrix
    is built once and kept under the skills and people versions and the day, which decides
    what is stale (`faculty` and `category` must be real ones, as the filter form leaves
    them: each view asked is kept). Only the unit a phone opens at is the viewer's own."""
    today = today or timezone.localdate()
    options = {
        "faculty": faculty,
        "category": category,
        "at_risk_only": at_risk_only,
        "validated": validated,
        "today": today,
    }
    if department is not None:
        matrix = _build_matrix(user, department=department, **options)
    else:
        view = json.dumps([faculty, category, at_risk_only, validated, today.isoformat()])
        matrix = versions.cached(
            f"skills.matrix:{hashlib.sha256(view.encode()).hexdigest()[:24]}",
            depends_on=(SKILLS, people_versions.PEOPLE),
            compute=lambda: _build_matrix(None, department=None, **options),
        )
    keys = [u.key for u in matrix.units]
    matrix.current_unit = (
        keys.index(unit) if unit in keys else _own_unit_index(user, matrix.mode, keys)
    )
    return matrix


def _build_matrix(
    user,
    *,
    faculty: str,
    department: Department | None,
    category: str,
    at_risk_only: bool,
    validated: bool,
    today: datetime.date,
) -> Matrix:
    """`skills_matrix`, but for the unit a phone opens at (`user` is read only for a
    department's people)."""
    level_field = rules.level_field(validated)
    departments = _departments()
    needs = unit_needs()
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
        needed = {
            skill_id: n for (d, skill_id), n in needs.by_department.items() if d == department.pk
        }
        unit_need = lambda skill_id, key: None  # noqa: E731 (people: the total is judged)
    elif faculty:
        mode = DEPARTMENTS
        in_faculty = [d for d in departments if d.faculty == faculty]
        units = [
            Unit(str(d.pk), d.name, d.active_count, "?" + urlencode({"department": d.pk}))
            for d in in_faculty
        ]
        cells = _unit_cells(
            active_rows.filter(technician__department__faculty=faculty),
            "technician__department_id",
            level_field,
            today,
            faculty=faculty,
            category=category,
        )
        totals = None
        faculty_of_unit = {u.key: faculty for u in units}
        shown = {int(u.key) for u in units}
        needed = {skill_id: n for (d, skill_id), n in needs.by_department.items() if d in shown}

        def unit_need(skill_id: int, key: str) -> int | None:
            return needs.by_department.get((int(key), skill_id))

    else:
        mode = FACULTIES
        sizes: dict[str, int] = defaultdict(int)
        for d in departments:
            sizes[d.faculty] += d.active_count
        units = [
            Unit(name, name, size, "?" + urlencode({"faculty": name}))
            for name, size in sizes.items()
        ]
        cells = _unit_cells(
            active_rows,
            "technician__department__faculty",
            level_field,
            today,
            faculty="",
            category=category,
        )
        totals = None
        faculty_of_unit = {u.key: u.key for u in units}
        needed = {skill_id: n for (_f, skill_id), n in needs.by_faculty.items()}

        def unit_need(skill_id: int, key: str) -> int | None:
            return needs.by_faculty.get((key, skill_id))

    # The skills someone here holds, and those a unit shown needs (held or not).
    skill_ids = {skill_id for skill_id, _unit in cells} | set(needed)
    if totals is not None:
        skill_ids |= set(totals)
    all_skills = Skill.objects.filter(pk__in=skill_ids).order_by("category", "name")
    if category:
        all_skills = all_skills.filter(category=category)

    categories: list[tuple[str, list[SkillRow]]] = []
    for skill in all_skills:
        row_cells = [cells.get((skill.pk, u.key)) or Cell() for u in units]
        for unit_, cell in zip(units, row_cells, strict=True):
            cell.need = unit_need(skill.pk, unit_.key)
        if totals is not None:
            total = totals.get(skill.pk) or Cell()
            total.need = needed.get(skill.pk)  # the department's own need
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
        # ... only where the faculty, or one of its departments, needs the skill.
        untaught = [
            name
            for name, n in trainers_by_faculty.items()
            if rules.is_untaught(n) and (name, skill.pk) in needs.needed_in_faculty
        ]
        row = SkillRow(skill, row_cells, total, untaught)
        if at_risk_only and not row.at_risk:
            continue
        if categories and categories[-1][0] == skill.category:
            categories[-1][1].append(row)
        else:
            categories.append((skill.category, [row]))

    return Matrix(
        mode=mode,
        validated=validated,
        units=units,
        categories=categories,
        faculty=faculty,
        department=department,
        hidden_people=hidden_people,
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


def faculty_for_filter(name: str | None) -> str:
    """The faculty of that name, when a department names it; "" otherwise."""
    name = " ".join((name or "").split())
    if name and Department.objects.filter(faculty=name).exists():
        return name
    return ""


def skill_choices() -> SharedChoices:
    """(pk, name) of every skill by name, for the directory's skill filter: the same for
    everyone, kept in the process under the "skills" version and shared by every form that
    shows them (`portal.forms.SharedChoices`)."""
    return versions.kept_object(
        "skills.choices",
        depends_on=(SKILLS,),
        compute=lambda: SharedChoices(Skill.objects.order_by("name").values_list("pk", "name")),
    )


def skills_by_category() -> list[tuple[str, list[tuple[int, str]]]]:
    """(category, [(pk, name), …]) by category, then name: the skill list boxes' groups, the
    same for everyone, kept under the "skills" version."""

    def group() -> list[tuple[str, list[tuple[int, str]]]]:
        groups: dict[str, list[tuple[int, str]]] = {}
        rows = Skill.objects.order_by("category", "name").values_list("pk", "name", "category")
        for pk, name, category in rows:
            groups.setdefault(category, []).append((pk, name))
        return list(groups.items())

    return versions.cached("skills.by_category", depends_on=(SKILLS,), compute=group)


def all_skills() -> list[Skill]:
    return list(Skill.objects.order_by("category", "name"))


def current_needs(*, department: Department | None = None, faculty: str = "") -> dict[int, int]:
    """{skill id: holders wanted} of one unit."""
    unit = {"department": department} if department is not None else {"faculty": faculty}
    return dict(UnitSkillNeed.objects.filter(**unit).values_list("skill_id", "min_holders"))


def units_with_needs() -> list[dict]:
    """Every faculty, then its departments, each with how many needs it declared: for the
    needs page's list of units. Two queries."""
    counts = defaultdict(int)
    for department_id, faculty in UnitSkillNeed.objects.values_list(
        "department_id", "faculty"
    ).order_by():
        counts[("department", department_id) if department_id else ("faculty", faculty)] += 1
    faculties: dict[str, dict] = {}
    for department in Department.objects.order_by("faculty", "name"):
        entry = faculties.setdefault(
            department.faculty,
            {
                "faculty": department.faculty,
                "needs": counts[("faculty", department.faculty)],
                "departments": [],
            },
        )
        entry["departments"].append(
            {"department": department, "needs": counts[("department", department.pk)]}
        )
    return list(faculties.values())


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

    @property
    def needed_cells(self) -> list[Cell]:
        cells = [cell for _f, cell in self.faculty_cells] + [c for _d, c in self.department_cells]
        return [cell for cell in cells if cell.need is not None]

    @property
    def unmet(self) -> int:
        """Units that declared a need for the skill and do not meet it."""
        return sum(cell.at_risk for cell in self.needed_cells)


def skill_page(skill: Skill, user, *, today: datetime.date | None = None) -> SkillPage:
    """Who holds `skill` (those `user` may see), who can teach it nearest first (my
    department, my faculty, everyone), and its risk in each faculty and department that
    needs it (every department that needs it is listed, held there or not)."""
    today = today or timezone.localdate()
    departments = _departments()
    needs = unit_needs()
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
        need = needs.by_department.get((department.pk, skill.pk))
        if cell is None and need is None:
            continue
        cell = cell or Cell()
        cell.need = need
        department_cells.append((department, cell))
        total = faculty_totals.setdefault(department.faculty, Cell())
        for level, n in cell.counts.items():
            total.add(level, n)
            overall.add(level, n)
        total.stale += cell.stale
        overall.stale += cell.stale
    for department in departments:  # faculties where nobody holds it at all
        faculty_totals.setdefault(department.faculty, Cell())
    for name, cell in faculty_totals.items():
        cell.need = needs.by_faculty.get((name, skill.pk))

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


@dataclass(frozen=True)
class NeedRisk:
    """One unit's declared need of a skill, judged: how many current technicians hold it at
    practitioner level or above, how many can train others, and the risk."""

    unit: str  # the department's or the faculty's name
    is_faculty: bool
    department_id: int | None
    skill_id: int
    skill: str
    wanted: int
    holders: int
    trainers: int

    @property
    def risk(self) -> str:
        return rules.risk_from_counts(self.holders, self.trainers, wanted=self.wanted)

    @property
    def risk_label(self) -> str:
        return rules.RISK_LABELS[self.risk]

    @property
    def is_met(self) -> bool:
        return self.risk not in rules.UNMET

    @property
    def short_by(self) -> int:
        return max(self.wanted - self.holders, 0)

    @property
    def matrix_query(self) -> str:
        """The matrix of the unit's parent, where the unit is a column, at risk only."""
        if self.is_faculty:
            return urlencode({"at_risk": "on"})
        return urlencode({"department": self.department_id, "at_risk": "on"})

    @property
    def severity(self) -> tuple:
        """Worst first: nobody, one person, too few; then the furthest short; then nobody
        to train others; then by unit and skill."""
        return (
            rules.SEVERITY[self.risk],
            -self.short_by,
            self.trainers > 0,
            self.unit,
            self.skill,
        )


def judged_needs() -> list[NeedRisk]:
    """Every declared need, judged against the current technicians of its unit (self-rated
    levels), worst first. The same for everyone who sees it: computed once, and kept under
    the versions of the skills and of who works where (portal.versions), so one query when
    nothing changed since; three when it did, whatever the number of technicians or needs."""
    return versions.cached(
        "skills.judged_needs", depends_on=JUDGED_NEEDS_DEPEND_ON, compute=_judge_needs
    )


# The skills and self-ratings, and who works where (a unit's current technicians).
JUDGED_NEEDS_DEPEND_ON = (SKILLS, people_versions.PEOPLE)


def _judge_needs() -> list[NeedRisk]:
    needs = list(
        UnitSkillNeed.objects.order_by().values_list(
            "department_id",
            "department__name",
            "faculty",
            "skill_id",
            "skill__name",
            "min_holders",
        )
    )
    if not needs:
        return []
    skill_ids = {row[3] for row in needs}
    counted = {
        "holders": Count("pk", filter=Q(level__gte=rules.PRACTITIONER)),
        "trainers": Count("pk", filter=Q(level__gte=rules.TRAINER)),
    }
    held = TechnicianSkill.objects.filter(technician__is_active=True, skill_id__in=skill_ids)
    by_department = {
        (row["technician__department_id"], row["skill_id"]): row
        for row in held.values("technician__department_id", "skill_id")
        .order_by()
        .annotate(**counted)
    }
    by_faculty = {
        (row["technician__department__faculty"], row["skill_id"]): row
        for row in held.values("technician__department__faculty", "skill_id")
        .order_by()
        .annotate(**counted)
    }
    nobody = {"holders": 0, "trainers": 0}
    judged = []
    for department_id, department, faculty, skill_id, skill, wanted in needs:
        if department_id is not None:
            counts = by_department.get((department_id, skill_id), nobody)
        else:
            counts = by_faculty.get((faculty, skill_id), nobody)
        judged.append(
            NeedRisk(
                unit=department if department_id is not None else faculty,
                is_faculty=department_id is None,
                department_id=department_id,
                skill_id=skill_id,
                skill=skill,
                wanted=wanted,
                holders=counts["holders"],
                trainers=counts["trainers"],
            )
        )
    judged.sort(key=lambda need: need.severity)
    return judged


def unmet_needs() -> list[NeedRisk]:
    """The declared needs not met, worst first (three queries)."""
    return [need for need in judged_needs() if not need.is_met]


def worst_risks(limit: int = 5) -> dict:
    """For the steering group and HR: the `limit` worst unmet needs, how many are unmet in
    all, and how many needs are declared. Three queries."""
    judged = judged_needs()
    unmet = [need for need in judged if not need.is_met]
    return {"worst": unmet[:limit], "unmet": len(unmet), "declared": len(judged)}


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


# Compiled once (portal.prepared): every technician's dashboard asks them.
_STALE_COUNT = PreparedQuery(
    lambda technician, before: (
        TechnicianSkill.objects.filter(
            rules.confirmed_before_filter(before), technician_id=technician
        )
        .order_by()
        .values("technician_id")
        .annotate(stale=Count("pk"))
        .values_list("stale", flat=True)
    )
)
_OPEN_SHADOWING = PreparedQuery(
    lambda technician: (
        ShadowingRequest.objects.filter(
            Q(teacher_id=technician, status=ShadowingRequest.Status.REQUESTED)
            | Q(learner_id=technician, status__in=ShadowingRequest.OPEN_STATUSES)
        )
        .order_by()
        .values_list("teacher_id", "learner_id", "status")
    )
)


def review_summary(technician: Technician, *, today: datetime.date | None = None) -> dict:
    """For the technician's panel: stale skills and shadowing waiting. Two queries."""
    today = today or timezone.localdate()
    stale = _STALE_COUNT.list(technician=technician.pk, before=rules.stale_before(today))
    shadowing = _OPEN_SHADOWING.list(technician=technician.pk)
    return {
        "stale": stale[0] if stale else 0,
        "waiting_for_me": sum(
            1
            for teacher, _learner, status in shadowing
            if teacher == technician.pk and status == ShadowingRequest.Status.REQUESTED
        ),
        "mine_open": sum(1 for _teacher, learner, _status in shadowing if learner == technician.pk),
    }


def team_review_summary(manager: Technician, *, today: datetime.date | None = None) -> dict:
    """For the line manager's panel: the team's stale ratings and validations waiting."""
    today = today or timezone.localdate()
    counted = _TEAM_REVIEW.list(manager=manager.pk, stale_before=rules.stale_before(today))
    stale, waiting = counted[0] if counted else (0, 0)
    return {"stale": stale, "waiting": waiting}


# Every line manager's dashboard asks it: compiled once (portal.prepared). Grouped by the
# manager, whose one row (none for a team with no ratings) holds both counts.
_TEAM_REVIEW = PreparedQuery(
    lambda manager, stale_before: (
        TechnicianSkill.objects.filter(
            technician__line_manager_id=manager, technician__is_active=True
        )
        .order_by()
        .values("technician__line_manager_id")
        .annotate(
            stale=Count("pk", filter=rules.confirmed_before_filter(stale_before)),
            waiting=Count(
                "pk", filter=Q(validated_level__isnull=True, level__gte=rules.PRACTITIONER)
            ),
        )
        .values_list("stale", "waiting")
    )
)
