"""The "careers-ladder" data version (portal.versions): moved on when a pathway, a band, a
band's skill expectation, or a skill or register a band names changes. The ladder (every
pathway with its bands) is the same for every viewer of the dashboard panel and the pathway
pages, so it is read once and kept under this version. Every write to these rows is a
single-row save or delete (careers.services, the admin, cascades), so signals cover them."""

from __future__ import annotations

from portal import versions

LADDER = "careers-ladder"


def ladder_changed(sender=None, **kwargs) -> None:
    versions.bump(LADDER)


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save

    from careers.models import Band, BandSkill, Pathway
    from registration.models import Register
    from skills.models import Skill

    for model in (Pathway, Band, BandSkill, Skill, Register):
        label = f"{model._meta.app_label}.{model._meta.model_name}"
        post_save.connect(ladder_changed, sender=model, dispatch_uid=f"ladder:{label}")
        post_delete.connect(ladder_changed, sender=model, dispatch_uid=f"ladder:{label}-del")
