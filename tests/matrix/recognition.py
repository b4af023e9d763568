"""Permission matrix of recognition: the development fund, awards and outputs.

`world.technician` (Alex) applies and is nominated; `world.manager` (Morgan), Alex's line
manager, sees Alex's applications and nominates Alex; the steering member sits on the panels
(a call's and a judging round's) and may open calls; HR coordinates, decides, pays and exports.
Applications and nominations are hidden (404) from staff who have no part in them; the wrong
person for a step is refused (403) before any form is read; steps are posted invalid or from a
state that refuses them, so every persona meets the same world (302 back to the page).
"""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile

from tests.matrix import Row, everyone, staff

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def setup(world) -> None:
    from recognition.models import (
        AwardCategory,
        Contribution,
        FundApplication,
        FundCall,
        JudgingRound,
        Nomination,
        Output,
        Panel,
        Receipt,
        Testimony,
    )
    from recognition.services.awards import round_cutoff, round_for, testimony_token

    today = datetime.date.today()
    day = datetime.timedelta(days=1)
    alex = world.technician_profile

    def call(title, opens_on, closes_on):
        panel = Panel.objects.create(
            name=title,
            criteria="Benefit\nValue",
            scoring_closes_on=closes_on + 14 * day,
            coordinator=world.hr,
        )
        panel.members.set([world.steering])
        return FundCall.objects.create(
            title=title, opens_on=opens_on, closes_on=closes_on, pot=Decimal("5000"),
            max_award=Decimal("1000"), questions="Why?", panel=panel,
        )  # fmt: skip

    world.rec_open = call("Open call", today - 5 * day, today + 10 * day)
    world.rec_closed = call("Closed call", today - 60 * day, today - 1 * day)

    def application(target, status, **extra):
        return FundApplication.objects.create(
            call=target, applicant=alex, made_by=world.technician, activity="Course",
            activity_starts_on=today + 40 * day, activity_ends_on=today + 41 * day,
            cost=Decimal("1000"), amount_requested=Decimal("500"), expected_return="Skills.",
            sharing_plan="A talk.", answers=["Because."], status=status, **extra,
        )  # fmt: skip

    world.rec_draft = application(world.rec_open, "draft")
    world.rec_submitted = application(world.rec_closed, "submitted")
    world.rec_awarded = application(
        world.rec_closed, "awarded", amount_awarded=Decimal("500"), report_due_on=today + 60 * day
    )
    world.rec_claimed = application(
        world.rec_closed,
        "claimed",
        amount_awarded=Decimal("400"),
        amount_claimed=Decimal("400"),
        report_due_on=today + 60 * day,
    )
    receipt = Receipt(
        application=world.rec_claimed, name="receipt.pdf", content_type="application/pdf"
    )
    receipt.file.save("receipt.pdf", ContentFile(PDF), save=True)
    world.rec_receipt = receipt

    category = AwardCategory.objects.create(name="Research")
    year, number = round_for(today)
    panel = Panel.objects.create(
        name="Awards", criteria="Impact", scoring_closes_on=today + 90 * day, coordinator=world.hr
    )
    panel.members.set([world.steering])
    world.rec_round = JudgingRound.objects.create(
        year=year, number=number, cutoff_on=round_cutoff(year, number), panel=panel
    )
    world.rec_nomination = Nomination.objects.create(
        category=category, nominee=alex, nominated_by=world.manager, statement="Great.",
        round_year=year, round_number=number,
    )  # fmt: skip
    supporter = world.manager_profile
    testimony = Testimony.objects.create(nomination=world.rec_nomination, supporter=supporter)
    world.rec_token = testimony_token(testimony)

    output = Output.objects.create(title="A paper", doi="10.1000/matrix", year=2025)
    world.rec_contribution = Contribution.objects.create(
        output=output, technician=alex, roles=["software"], credit="author"
    )


def _app(attr, suffix=""):
    return lambda w: f"/recognition/applications/{getattr(w, attr).pk}/{suffix}"


STAFF = staff(200)
HR = staff(403, hr=200, admin=200)
OPENS_CALLS = staff(403, steering=200, hr=200, admin=200)
APPLIES = staff(403, technician=200, manager=200)  # technicians on the staff list
# The applicant, their manager, HR (and administrators), the coordinator (HR) and, once it is
# submitted, the panel (the steering member).
SEES_SUBMITTED = staff(404, technician=200, manager=200, steering=200, hr=200, admin=200)
SEES_DRAFT = staff(404, technician=200, manager=200, hr=200, admin=200)
STEP = {"method": "post"}


def _step(attr, action, expect, note, data=None):
    return Row(
        "recognition:application_step",
        _app(attr, f"{action}/"),
        expect,
        data=data or (lambda w: {}),
        note=note,
        **STEP,
    )


ROWS = [
    Row("recognition:index", lambda w: "/recognition/", STAFF),
    Row("recognition:call_create", lambda w: "/recognition/calls/new/", OPENS_CALLS),
    Row(
        "recognition:call_create",
        lambda w: "/recognition/calls/new/",
        OPENS_CALLS,
        method="post",
        data=lambda w: {"title": ""},
        note=" invalid",
    ),
    Row("recognition:call", lambda w: f"/recognition/calls/{w.rec_closed.pk}/", STAFF),
    Row("recognition:call", lambda w: "/recognition/calls/999999/", staff(404), note=" missing"),
    Row("recognition:apply", lambda w: f"/recognition/calls/{w.rec_open.pk}/apply/", APPLIES),
    Row(
        "recognition:apply",
        lambda w: f"/recognition/calls/{w.rec_open.pk}/apply/",
        APPLIES,
        method="post",
        data=lambda w: {"activity": ""},
        note=" invalid",
    ),
    Row(
        "recognition:apply",
        lambda w: f"/recognition/calls/{w.rec_closed.pk}/apply/",
        staff(403, technician=302, manager=302),
        note=" closed call: back to the call",
    ),
    Row("recognition:application", _app("rec_submitted"), SEES_SUBMITTED, note=" submitted"),
    Row("recognition:application", _app("rec_draft"), SEES_DRAFT, note=" draft"),
    Row("recognition:application_edit", _app("rec_draft", "edit/"), APPLIES, note=" draft"),
    Row(
        "recognition:application_edit",
        _app("rec_draft", "edit/"),
        APPLIES,
        method="post",
        data=lambda w: {"activity": ""},
        note=" draft, invalid",
    ),
    Row(
        "recognition:application_edit",
        _app("rec_submitted", "edit/"),
        staff(403),
        note=" submitted: no longer a draft",
    ),
    # Steps: the right person gets 302 back to the page (refused in a message: wrong state or
    # an invalid form), the wrong one 403, those with no part 404.
    _step(
        "rec_submitted",
        "submit",
        staff(404, technician=302, manager=302, steering=403, hr=403, admin=403),
        " submit, wrong state",
    ),
    _step(
        "rec_submitted",
        "review",
        staff(404, technician=403, manager=403, steering=302, hr=403, admin=403),
        " review without scores",
    ),
    _step(
        "rec_submitted",
        "award",
        staff(404, technician=403, manager=403, steering=403, hr=302, admin=302),
        " award without an amount",
    ),
    _step(
        "rec_submitted",
        "decline",
        staff(404, technician=403, manager=403, steering=403, hr=302, admin=302),
        " decline without feedback",
    ),
    _step(
        "rec_awarded",
        "claim",
        staff(404, technician=302, manager=302, steering=403, hr=403, admin=403),
        " claim without receipts",
        data=lambda w: {"amount": "100"},
    ),
    _step(
        "rec_awarded",
        "report",
        staff(404, technician=302, manager=302, steering=403, hr=403, admin=403),
        " report left empty",
    ),
    _step(
        "rec_claimed",
        "pay",
        staff(404, technician=403, manager=403, steering=403, hr=302, admin=302),
        " pay without a reference",
    ),
    _step(
        "rec_claimed",
        "withdraw",
        staff(404, technician=403, manager=403, steering=403, hr=302, admin=302),
        " withdraw without a reason",
    ),
    _step("rec_submitted", "bogus", staff(404), " unknown step"),
    Row(
        "recognition:application_step",
        _app("rec_submitted", "submit/"),
        everyone(405),
        note=" GET",
    ),
    Row(
        "recognition:receipt",
        lambda w: f"/recognition/applications/{w.rec_claimed.pk}/receipts/{w.rec_receipt.pk}/",
        staff(404, technician=200, manager=200, steering=403, hr=200, admin=200),
    ),
    Row("recognition:fund_admin", lambda w: "/recognition/fund/", HR),
    Row("recognition:awards", lambda w: "/recognition/awards/", STAFF),
    Row("recognition:nominate", lambda w: "/recognition/awards/nominate/", STAFF),
    Row(
        "recognition:nominate",
        lambda w: "/recognition/awards/nominate/",
        STAFF,
        method="post",
        data=lambda w: {"statement": ""},
        note=" invalid",
    ),
    Row("recognition:awards_manage", lambda w: "/recognition/awards/manage/", HR),
    Row(
        "recognition:awards_manage",
        lambda w: "/recognition/awards/manage/",
        HR,
        method="post",
        data=lambda w: {"form": "category", "category-name": ""},
        note=" invalid",
    ),
    Row(
        "recognition:round",
        lambda w: f"/recognition/awards/rounds/{w.rec_round.pk}/",
        staff(403, steering=200, hr=200, admin=200),
        note=" (the steering member sits on its panel: their own round)",
    ),
    Row(
        "recognition:nomination",
        lambda w: f"/recognition/nominations/{w.rec_nomination.pk}/",
        staff(404, manager=200, steering=200, hr=200, admin=200),
    ),
    Row(
        "recognition:nomination_step",
        lambda w: f"/recognition/nominations/{w.rec_nomination.pk}/testimony/",
        staff(404, manager=302, steering=403, hr=403, admin=403),
        method="post",
        data=lambda w: {"supporter": "nobody@example.ac.uk"},
        note=" testimony from an unknown address",
    ),
    Row(
        "recognition:nomination_step",
        lambda w: f"/recognition/nominations/{w.rec_nomination.pk}/award/",
        staff(404, manager=403, steering=403, hr=302, admin=302),
        method="post",
        note=" award before the cut-off",
    ),
    Row(
        "recognition:nomination_step",
        lambda w: f"/recognition/nominations/{w.rec_nomination.pk}/bogus/",
        staff(404),
        method="post",
        note=" unknown step",
    ),
    Row("recognition:testimony", lambda w: f"/recognition/testimony/{w.rec_token}/", everyone(200)),
    Row(
        "recognition:testimony",
        lambda w: f"/recognition/testimony/{w.rec_token}/",
        everyone(200),
        method="post",
        data=lambda w: {"text": ""},
        note=" invalid",
    ),
    Row(
        "recognition:testimony",
        lambda w: "/recognition/testimony/forged/",
        everyone(404),
        note=" forged link",
    ),
    Row("recognition:outputs", lambda w: "/recognition/outputs/", APPLIES, note=" my own"),
    Row(
        "recognition:outputs",
        lambda w: f"/recognition/outputs/?technician={w.technician_profile.pk}",
        staff(403, technician=200, manager=200, hr=200, admin=200),
        note=" Alex's",
    ),
    Row(
        "recognition:outputs",
        lambda w: "/recognition/outputs/",
        APPLIES,
        method="post",
        data=lambda w: {"title": ""},
        note=" invalid",
    ),
    Row(
        "recognition:orcid_import",
        lambda w: "/recognition/outputs/orcid/",
        staff(403, technician=302, hr=302, admin=302),
        method="post",
        data=lambda w: {"technician": w.technician_profile.pk},
        note=" no ORCID iD on the profile",
    ),
    Row("recognition:ref_export", lambda w: "/recognition/outputs/ref.csv", HR),
    Row(
        "recognition:contribution_step",
        lambda w: f"/recognition/outputs/{w.rec_contribution.pk}/confirm/",
        staff(404, technician=302, manager=403, hr=403, admin=403),
        method="post",
        note=" confirm without roles",
    ),
]
