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


def row_changed(sender, **kwargs) -> None:
    skills_changed()


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save

    for model in (Skill, TechnicianSkill, UnitSkillNeed):
        label = model._meta.model_name
        post_save.connect(row_changed, sender=model, dispatch_uid=f"versions:{label}")
        post_delete.connect(row_changed, sender=model, dispatch_uid=f"versions:{label}-del")
