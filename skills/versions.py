"""The "skills" data version (portal.versions): moved on when a skill, a rating or a unit's
declared need changes, so the skills at risk (shared by every HR and steering viewer, and
counted per unit) are cached under it and never stale. Single rows saved or deleted through
the ORM move it through signals; the bulk paths call `skills_changed` themselves."""

from __future__ import annotations

from portal import versions
from skills.models import Skill, TechnicianSkill, UnitSkillNeed

SKILLS = "skills"


def skills_changed() -> None:
    versions.bump(SKILLS)


def connect_signals() -> None:
    versions.track(SKILLS, Skill, TechnicianSkill, UnitSkillNeed)
