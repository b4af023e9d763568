"""Pathways import and export as CSV, through the portal's import framework (portal.imports):
one line per band. A preview lists the bands the file adds or changes and every bad line
with its reason; applying checks the file again under lock, refuses if the changes are not
the ones previewed, and writes every band through `careers.services`, all or nothing.

Bands are matched by (pathway, order): a new pair adds the band (and the pathway when it is
new), a known one is updated, bands the file does not mention stay as they are. An export
imported again changes nothing.

The skills cell lists the band's skill expectations, separated by semicolons:
`Chromatography at 3` (a named skill at level 3 or above) or `2 of Laboratory practice at 2`
(any two skills of a category at level 2 or above).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from careers import permissions, services
from careers.models import Band, Pathway
from portal.csv_export import csv_response
from portal.imports import ImportFileError, RowError
from portal.imports.changes import UpsertPreview, apply_previewed, plain, sentence
from portal.imports.columns import ColumnSet, DecimalColumn, ReferenceColumn, TextColumn
from registration.models import Register
from skills.models import Skill

KIND = "pathways"
STALE = "The pathways have changed since your preview: review it again"
SKILL_ITEM = re.compile(
    r"^(?:(?P<count>\d+)\s+of\s+(?P<category>.+?)|(?P<skill>.+?))\s+at\s+(?P<level>[1-4])$", re.I
)


def registers_by_code(keys: set[str]):
    return {register.code.lower(): register for register in Register.objects.all()}


COLUMNS = ColumnSet(
    columns=(
        TextColumn(
            name="pathway",
            required=True,
            help="The pathway's name.",
            model_field=Pathway._meta.get_field("name"),
        ),
        DecimalColumn(
            name="order",
            required=True,
            minimum=Decimal(1),
            maximum=Decimal(50),
            places=0,
            help="The band's place on the pathway, 1 for the entry band.",
        ),
        TextColumn(
            name="band",
            required=True,
            model_field=Band._meta.get_field("name"),
            help="The band's name.",
        ),
        TextColumn(
            name="grades",
            optional=True,
            help="The HR grades the band maps to, separated by semicolons: 5; 6.",
        ),
        TextColumn(name="outline", optional=True, help="The role outline."),
        TextColumn(
            name="skills",
            optional=True,
            help="Skill expectations separated by semicolons: “Chromatography at 3” or "
            "“2 of Laboratory practice at 2”.",
        ),
        DecimalColumn(
            name="training days",
            optional=True,
            minimum=Decimal(0),
            maximum=Decimal(100),
            places=1,
            help="Training days a year (average over two years).",
        ),
        ReferenceColumn(
            name="registration",
            optional=True,
            load=registers_by_code,
            help="A register's code (RSciTech, RSci, EngTech…): registered at this level or above.",
            messages={"unknown": "unknown register “{value}”"},
        ),
        DecimalColumn(
            name="years",
            optional=True,
            minimum=Decimal(0),
            maximum=Decimal(50),
            places=0,
            help="Years of experience.",
        ),
    )
)
HEADER = [column.name for column in COLUMNS.columns]


def skills_text(band: Band) -> str:
    parts = []
    for expectation in band.skill_expectations.all():
        if expectation.skill_id:
            parts.append(f"{expectation.skill.name} at {expectation.level}")
        else:
            parts.append(f"{expectation.count} of {expectation.category} at {expectation.level}")
    return "; ".join(parts)


def parse_skills(text: str, skills: dict[str, Skill], categories: set[str]):
    """(items, problems) from a skills cell."""
    items, problems = [], []
    for part in [p.strip() for p in (text or "").split(";") if p.strip()]:
        found = SKILL_ITEM.match(part)
        if not found:
            problems.append(f"cannot read “{part}” (write “Skill at 3” or “2 of Category at 2”)")
            continue
        level = int(found["level"])
        if found["skill"]:
            skill = skills.get(found["skill"].strip().lower())
            if skill is None:
                problems.append(f"unknown skill “{found['skill'].strip()}”")
                continue
            items.append({"skill": skill, "category": "", "level": level, "count": 1})
        else:
            category = found["category"].strip()
            match = next((c for c in categories if c.lower() == category.lower()), None)
            if match is None:
                problems.append(f"unknown skill category “{category}”")
                continue
            items.append(
                {"skill": None, "category": match, "level": level, "count": int(found["count"])}
            )
    return items, problems


def _item_key(item: dict) -> tuple:
    return (
        item["skill"].pk if item["skill"] else 0,
        item["category"],
        item["level"],
        item["count"],
    )


@dataclass
class RowChange:
    line: int
    pathway: str
    order: int
    kind: str
    values: dict[str, Any] = field(default_factory=dict, repr=False)
    skills: list[dict] = field(default_factory=list, repr=False)
    band: Band | None = None

    @property
    def label(self) -> str:
        return f"{self.pathway}, band {self.order}: {self.values.get('name', '')}"


class PathwayImport(UpsertPreview):
    kind = KIND
    stale_message = STALE

    def fingerprint_data(self) -> dict[str, Any]:
        def data(row: RowChange) -> dict:
            values = dict(row.values)
            values["register"] = values["register"].pk if values.get("register") else None
            return {"values": plain(values), "skills": sorted(map(str, map(_item_key, row.skills)))}

        return {
            kind: {f"{row.pathway}:{row.order}": data(row) for row in rows}
            for kind, rows in (("new", self.new), ("changed", self.changed))
        }


def preview_import(text: str) -> PathwayImport:
    parsed = COLUMNS.parse(text)
    columns = COLUMNS.bind(parsed)
    skills = {skill.name.lower(): skill for skill in Skill.objects.all()}
    categories = {skill.category for skill in skills.values()}
    bands = {
        (band.pathway.name.lower(), band.order): band
        for band in Band.objects.select_related("pathway", "register").prefetch_related(
            "skill_expectations__skill"
        )
    }
    result = PathwayImport(changes={"new": [], "changed": [], "unchanged": []})
    seen: dict[tuple[str, int], int] = {}
    for row in columns.rows(parsed):
        problems = list(row.problems)
        items, skill_problems = parse_skills(row.cells.get("skills", ""), skills, categories)
        problems += skill_problems
        name = (row.values.get("pathway") or "").strip()
        order = int(row.values["order"]) if row.values.get("order") is not None else None
        key = (name.lower(), order)
        if name and order is not None:
            if key in seen:
                problems.append(f"{name} band {order} again (also on line {seen[key]})")
            else:
                seen[key] = row.line
        if problems:
            result.errors.append(RowError(row.line, sentence(problems)))
            continue
        values = {
            "name": row.values["band"],
            "grades": services._grades(row.values.get("grades", "")),
            "outline": row.values.get("outline", "") or "",
            "training_days": row.values.get("training days"),
            "register": row.values.get("registration"),
            "years_experience": int(row.values["years"])
            if row.values.get("years") is not None
            else None,
        }
        current = bands.get(key)
        if current is None:
            result.changes["new"].append(RowChange(row.line, name, order, "new", values, items))
            continue
        old = {
            "name": current.name,
            "grades": list(current.grades or []),
            "outline": current.outline,
            "training_days": current.training_days,
            "register": current.register,
            "years_experience": current.years_experience,
        }
        old_items = sorted(
            _item_key(
                {"skill": e.skill, "category": e.category, "level": e.level, "count": e.count}
            )
            for e in current.skill_expectations.all()
        )
        same = old == values and old_items == sorted(map(_item_key, items))
        kind = "unchanged" if same else "changed"
        result.changes[kind].append(
            RowChange(row.line, current.pathway.name, order, kind, values, items, current)
        )
    return result


def apply_import(user, text: str, *, fingerprint: str | None = None, file_name: str = ""):
    if not permissions.can_edit_pathways(user):
        raise PermissionDenied("Only HR and the steering group can import pathways.")
    with transaction.atomic():
        list(Band.objects.select_for_update().order_by("pk"))
        list(Pathway.objects.select_for_update().order_by("pk"))
        result = preview_import(text)

        def write(row: RowChange) -> None:
            band = row.band
            if band is None:
                pathway = Pathway.objects.filter(name__iexact=row.pathway).first()
                if pathway is None:
                    pathway = services.save_pathway(None, by=user, name=row.pathway)
                band = services.save_band(
                    None, by=user, pathway=pathway, order=row.order, **row.values
                )
            else:
                band = services.save_band(band, by=user, **row.values)
            services.replace_band_skills(band, by=user, items=row.skills)

        return apply_previewed(result, write, by=user, fingerprint=fingerprint, file_name=file_name)


def export_rows():
    bands = (
        Band.objects.select_related("pathway", "register")
        .prefetch_related("skill_expectations__skill")
        .order_by("pathway__order", "pathway__name", "order")
    )
    for band in bands:
        yield [
            band.pathway.name,
            band.order,
            band.name,
            "; ".join(band.grades or []),
            band.outline,
            skills_text(band),
            "" if band.training_days is None else f"{band.training_days.normalize():f}",
            band.register.code if band.register_id else "",
            "" if band.years_experience is None else band.years_experience,
        ]


def export_response():
    return csv_response("pathways.csv", HEADER, export_rows())


__all__ = ["COLUMNS", "ImportFileError", "apply_import", "export_response", "preview_import"]
