"""Careers' URLs: pathways (read by staff, edited by HR and the steering group), a person's
pathway and evidence pack (the person, their line manager and HR), the team, the pipeline,
succession, and mentoring (coordinators run rounds; a pair's page and its private meeting notes
are the two people's alone: everyone else gets 404, coordinators and administrators included).

Alex (the technician) is the mentee of a published pair with a colleague who has no account;
Morgan (Alex's line manager) is a technician too. POSTs are invalid or refused where they could
change the world, except where one persona's success is the point."""

import datetime

from django.utils import timezone

from tests import factories
from tests.matrix import Row, staff

EDITORS = staff(403, steering=200, hr=200, admin=200)
COORDINATORS = staff(403, coordinator=200, admin=200)
COORDINATORS_POST = staff(403, coordinator=302, admin=302)
ON_STAFF_LIST = staff(403, technician=200, manager=200)
ALEX_SEEN = staff(404, technician=200, manager=200, hr=200, admin=200)
THE_PAIR = staff(404, technician=200)


def setup(world) -> None:
    from careers.models import (
        Band,
        BandOverride,
        BandSkill,
        MentoringPair,
        MentoringRound,
        MentoringScheme,
        Pathway,
    )

    today = timezone.localdate()
    skill = factories.SkillFactory(name="Careers matrix skill", category="Careers matrix")
    pathway = Pathway.objects.create(name="Matrix pathway", role_families=["laboratory"])
    world.careers_pathway = pathway
    world.careers_band = Band.objects.create(pathway=pathway, order=1, name="Band M1", grades=["4"])
    nxt = Band.objects.create(pathway=pathway, order=2, name="Band M2", grades=["5"])
    world.careers_band_skill = BandSkill.objects.create(band=nxt, skill=skill, level=3)
    # HR placed someone in the band: deleting it is refused.
    held = Band.objects.create(pathway=pathway, order=3, name="Band M3")
    BandOverride.objects.create(
        technician=factories.TechnicianFactory(), band=held, reason="Matrix."
    )
    world.careers_held_band = held
    scheme = MentoringScheme.objects.create(name="Matrix mentoring")
    world.careers_scheme = scheme
    world.careers_open_round = MentoringRound.objects.create(
        scheme=scheme,
        name="Open",
        applications_open_on=today - datetime.timedelta(days=1),
        applications_close_on=today + datetime.timedelta(days=10),
        matching_on=today + datetime.timedelta(days=11),
    )
    published = MentoringRound.objects.create(
        scheme=scheme,
        name="Published",
        applications_open_on=today - datetime.timedelta(days=60),
        applications_close_on=today - datetime.timedelta(days=40),
        matching_on=today - datetime.timedelta(days=35),
        status=MentoringRound.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    world.careers_published_round = published
    mentor = factories.TechnicianFactory(first_name="Mira", last_name="Mentor")
    world.careers_pair = MentoringPair.objects.create(
        round=published,
        mentor=mentor,
        mentee=world.technician_profile,
        status=MentoringPair.Status.ACTIVE,
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today - datetime.timedelta(days=1),
    )
    world.careers_pair.meetings.create(date=today, note="Private matrix note.")
    matching = MentoringRound.objects.create(
        scheme=scheme,
        name="Matching",
        applications_open_on=today - datetime.timedelta(days=30),
        applications_close_on=today - datetime.timedelta(days=2),
        matching_on=today,
    )
    world.careers_matching_round = matching
    world.careers_proposed = MentoringPair.objects.create(
        round=matching,
        mentor=mentor,
        mentee=factories.TechnicianFactory(),
        pinned=True,
    )


def _p(template):
    return lambda w: template.format(w=w)


ROWS = [
    Row("careers:index", _p("/careers/"), staff(200)),
    Row("careers:pathway", _p("/careers/pathways/{w.careers_pathway.pk}/"), staff(200)),
    Row(
        "careers:pathway",
        _p("/careers/pathways/999999/"),
        staff(404),
        note=" unknown",
    ),
    Row("careers:pathway_new", _p("/careers/pathways/new/"), EDITORS),
    Row(
        "careers:pathway_new",
        _p("/careers/pathways/new/"),
        EDITORS,
        method="post",
        data=lambda w: {"name": ""},
        note=" invalid",
    ),
    Row("careers:pathway_edit", _p("/careers/pathways/{w.careers_pathway.pk}/edit/"), EDITORS),
    Row("careers:import", _p("/careers/pathways/import/"), EDITORS),
    Row(
        "careers:import",
        _p("/careers/pathways/import/"),
        EDITORS,
        method="post",
        data=lambda w: {"action": "upload"},
        note=" no file",
    ),
    Row("careers:export", _p("/careers/pathways/export.csv"), EDITORS),
    Row("careers:band_new", _p("/careers/pathways/{w.careers_pathway.pk}/bands/new/"), EDITORS),
    Row("careers:band_edit", _p("/careers/bands/{w.careers_band.pk}/edit/"), EDITORS),
    Row(
        "careers:band_delete",
        _p("/careers/bands/{w.careers_held_band.pk}/delete/"),
        staff(403, steering=302, hr=302, admin=302),
        method="post",
        note=" refused: HR placed someone in it",
    ),
    Row(
        "careers:band_skill_add",
        _p("/careers/bands/{w.careers_band.pk}/skills/"),
        staff(403, steering=400, hr=400, admin=400),
        method="post",
        data=lambda w: {"level": "9"},
        note=" invalid",
    ),
    Row(
        "careers:band_skill_delete",
        _p("/careers/band-skills/999999/delete/"),
        staff(403, steering=404, hr=404, admin=404),
        method="post",
        note=" unknown",
    ),
    Row("careers:me", _p("/careers/me/"), ON_STAFF_LIST),
    Row(
        "careers:me",
        _p("/careers/me/"),
        staff(403, technician=302, manager=302),
        method="post",
        data=lambda w: {"text": "My statement."},
        note=" statement",
    ),
    Row("careers:team", _p("/careers/team/"), staff(403, manager=200)),
    Row("careers:pipeline", _p("/careers/pipeline/"), staff(403, hr=200, admin=200)),
    Row(
        "careers:succession",
        _p("/careers/succession/"),
        staff(403, steering=200, coordinator=200, hr=200, admin=200),
    ),
    Row("careers:person", _p("/careers/people/{w.technician_profile.pk}/"), ALEX_SEEN),
    Row(
        "careers:band_override",
        _p("/careers/people/{w.technician_profile.pk}/band/"),
        staff(403, hr=400, admin=400),
        method="post",
        data=lambda w: {"band": w.careers_band.pk, "reason": ""},
        note=" without a reason",
    ),
    Row(
        "careers:evidence_pack",
        _p("/careers/people/{w.technician_profile.pk}/evidence-pack.pdf"),
        ALEX_SEEN,
    ),
    Row("careers:mentoring", _p("/careers/mentoring/"), staff(200)),
    Row("careers:scheme_new", _p("/careers/mentoring/schemes/new/"), COORDINATORS),
    Row(
        "careers:scheme_new",
        _p("/careers/mentoring/schemes/new/"),
        COORDINATORS,
        method="post",
        data=lambda w: {"name": ""},
        note=" invalid",
    ),
    Row(
        "careers:round_new",
        _p("/careers/mentoring/schemes/{w.careers_scheme.pk}/rounds/new/"),
        COORDINATORS,
    ),
    Row(
        "careers:round",
        _p("/careers/mentoring/rounds/{w.careers_matching_round.pk}/"),
        COORDINATORS,
    ),
    Row(
        "careers:round",
        _p("/careers/mentoring/rounds/{w.careers_published_round.pk}/"),
        COORDINATORS,
        note=" published",
    ),
    Row(
        "careers:round_apply",
        _p("/careers/mentoring/rounds/{w.careers_open_round.pk}/apply/"),
        ON_STAFF_LIST,
    ),
    Row(
        "careers:round_apply",
        _p("/careers/mentoring/rounds/{w.careers_open_round.pk}/apply/"),
        staff(403, technician=400, manager=400),
        method="post",
        data=lambda w: {},
        note=" invalid",
    ),
    Row(
        "careers:round_match",
        _p("/careers/mentoring/rounds/{w.careers_matching_round.pk}/match/"),
        COORDINATORS_POST,
        method="post",
    ),
    Row(
        "careers:round_publish",
        _p("/careers/mentoring/rounds/{w.careers_published_round.pk}/publish/"),
        COORDINATORS_POST,
        method="post",
        note=" refused: already published",
    ),
    Row(
        "careers:round_pair",
        _p("/careers/mentoring/rounds/{w.careers_matching_round.pk}/pair/"),
        staff(403, coordinator=400, admin=400),
        method="post",
        note=" refused on the form: nobody chosen",
    ),
    Row(
        "careers:pair_action",
        _p("/careers/mentoring/pairs/{w.careers_proposed.pk}/pin/"),
        COORDINATORS_POST,
        method="post",
        note=" pin",
    ),
    Row(
        "careers:pair_action",
        _p("/careers/mentoring/pairs/{w.careers_proposed.pk}/fly/"),
        staff(403, coordinator=404, admin=404),
        method="post",
        note=" unknown action",
    ),
    Row("careers:pair", _p("/careers/mentoring/pairs/{w.careers_pair.pk}/"), THE_PAIR),
    Row(
        "careers:pair",
        _p("/careers/mentoring/pairs/{w.careers_pair.pk}/"),
        staff(404, technician=400),
        method="post",
        data=lambda w: {"date": ""},
        note=" invalid meeting",
    ),
    Row(
        "careers:evaluation",
        _p("/careers/mentoring/pairs/{w.careers_pair.pk}/evaluation/end/"),
        THE_PAIR,
    ),
]
