"""Demo data: a realistic, published four-pillar action plan with its progress updates.

`seed_demo_plan` is idempotent: it finds the plan by title and each action by reference, so
running it again changes nothing. It is the "actionplan" seeder (order 20) that
`manage.py seed_demo` runs after the technicians' one has created the demo logins; owners are
taken from those users when they exist.
"""

from __future__ import annotations

import datetime
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from simple_history.signals import pre_create_historical_record

from actionplan import permissions, services
from actionplan.history import Reason, format_reason
from actionplan.models import ActionPlan, ActionUpdate, Pillar
from actionplan.versions import plans_changed
from portal import roles
from technicians.selectors import profile_completeness

PLAN_TITLE = "Technician Commitment Action Plan 2025–2028"
PLAN_STARTS = datetime.date(2025, 8, 1)
PLAN_ENDS = datetime.date(2028, 7, 31)
PLAN_DESCRIPTION = (
    "Our third action plan as a signatory of the Technician Commitment. The Technician "
    "Commitment Steering Group — technicians, technical managers, academics and HR — agreed "
    "it with technical staff at the 2025 town-hall forums, reviews it every term and reports "
    "progress here."
)

# Owners by role in the plan; the first e-mail of each list that exists is used.
OWNER_CANDIDATES = {
    "steering": ["steering@example.ac.uk"],
    "hr": ["hr@example.ac.uk"],
    "training": ["coordinator@example.ac.uk", "training@example.ac.uk"],
    "manager": ["manager@example.ac.uk"],
    "technician": ["technician@example.ac.uk"],
    "admin": ["admin@example.ac.uk"],
}
FALLBACK_OWNERS = {
    "steering": ("steering@example.ac.uk", "Sam", "Okafor", roles.STEERING_GROUP),
    "hr": ("hr@example.ac.uk", "Harper", "Lewis", roles.HR),
    "training": ("coordinator@example.ac.uk", "Casey", "Nguyen", roles.TRAINING_COORDINATOR),
    "manager": ("manager@example.ac.uk", "Morgan", "Shah", roles.TECHNICIAN),
    "technician": ("technician@example.ac.uk", "Alex", "Murray", roles.TECHNICIAN),
    "admin": ("admin@example.ac.uk", "Ada", "Admin", roles.ADMINISTRATOR),
}

D = datetime.date
NS, IP, C, B = "not_started", "in_progress", "complete", "blocked"

# (pillar, ref, title, owner role, lead, due, success measure, status, progress)
ACTIONS = [
    # Visibility
    (
        Pillar.VISIBILITY,
        "V1.1",
        "Publish a profile page for every technician who wants one on the university website",
        "steering",
        "Technical Services and Web Team",
        D(2026, 3, 31),
        "At least 60 % of technicians have a complete profile (a bio, expertise and a photo).",
        C,
        100,
    ),
    (
        Pillar.VISIBILITY,
        "V1.2",
        "Add a 'Meet our technicians' section to every department's home page",
        "manager",
        "Heads of Technical Services",
        D(2026, 12, 18),
        "Every department links to its technicians' profiles.",
        IP,
        60,
    ),
    (
        Pillar.VISIBILITY,
        "V1.3",
        "Credit technical staff in research outputs through a fair attribution policy",
        "steering",
        "Research Culture team",
        D(2027, 7, 30),
        "Policy approved by Senate; technicians named in the acknowledgements of 80 % of papers "
        "from core facilities.",
        IP,
        30,
    ),
    (
        Pillar.VISIBILITY,
        "V2.1",
        "Set up a departmental technical helpdesk email address for each school",
        "manager",
        "Heads of Technical Services",
        D(2026, 1, 30),
        "Every school has a published helpdesk address answered within two working days.",
        C,
        100,
    ),
    (
        Pillar.VISIBILITY,
        "V2.2",
        "Feature a technician story in every issue of the staff newsletter",
        "hr",
        "Internal Communications",
        D(2027, 6, 30),
        "Nine stories a year, with technicians' consent.",
        IP,
        45,
    ),
    (
        Pillar.VISIBILITY,
        "V2.3",
        "Hold an annual technician conference with posters and lightning talks",
        "training",
        "Technician Network committee",
        D(2026, 12, 10),
        "150 attendees; 20 posters; feedback 4/5 or better.",
        IP,
        70,
    ),
    (
        Pillar.VISIBILITY,
        "V3.1",
        "Include technicians on the research infrastructure pages of every core facility",
        "technician",
        "Core facility managers",
        D(2026, 9, 30),
        "All 14 core facilities list their technical staff and expertise.",
        B,
        40,
    ),
    (
        Pillar.VISIBILITY,
        "V3.2",
        "Give technicians a seat on every faculty research committee",
        "steering",
        "Pro-Vice-Chancellor for Research",
        D(2027, 3, 31),
        "Terms of reference updated in all four faculties.",
        NS,
        0,
    ),
    (
        Pillar.VISIBILITY,
        "V3.3",
        "Run open days showing technical careers to local schools and colleges",
        "manager",
        "Widening Participation",
        D(2028, 5, 31),
        "Two open days a year, 200 pupils reached.",
        NS,
        0,
    ),
    (
        Pillar.VISIBILITY,
        "V3.4",
        "Map every technician in the HR system by role family so the directory is complete",
        "hr",
        "HR Systems",
        D(2026, 11, 30),
        "95 % of technical posts carry a role family.",
        IP,
        85,
    ),
    # Recognition
    (
        Pillar.RECOGNITION,
        "R1.1",
        "Fund professional registration fees (RSciTech, RSci, EngTech, "
        "IEng) for every technician who applies",
        "hr",
        "HR and Technical Services",
        D(2028, 7, 31),
        "Funding budget spent; 120 new registrations over the plan.",
        IP,
        35,
    ),
    (
        Pillar.RECOGNITION,
        "R1.2",
        "Train registration champions to mentor applicants through "
        "the Science Council and Engineering Council processes",
        "training",
        "Technician Development team",
        D(2026, 10, 31),
        "Twelve trained champions, at least one per faculty.",
        C,
        100,
    ),
    (
        Pillar.RECOGNITION,
        "R1.3",
        "Become a licensed body partner for professional registration assessments",
        "steering",
        "Technical Services",
        D(2027, 12, 15),
        "Partnership agreement signed; first in-house assessments held.",
        NS,
        0,
    ),
    (
        Pillar.RECOGNITION,
        "R2.1",
        "Launch annual Technician Recognition Awards",
        "steering",
        "Technician Commitment Steering Group",
        D(2026, 6, 30),
        "Awards presented by the Vice-Chancellor each summer.",
        C,
        100,
    ),
    (
        Pillar.RECOGNITION,
        "R2.2",
        "Put forward technicians for the national Papin Prizes and THE Awards",
        "manager",
        "Heads of Technical Services",
        D(2027, 2, 26),
        "At least three nominations each year.",
        IP,
        50,
    ),
    (
        Pillar.RECOGNITION,
        "R2.3",
        "Add a technician category to the university's teaching excellence awards",
        "hr",
        "Academic Practice",
        D(2026, 12, 4),
        "Category open in the next awards round.",
        IP,
        55,
    ),
    (
        Pillar.RECOGNITION,
        "R2.4",
        "Record technicians' contributions to grants as named "
        "co-investigators where funders allow it",
        "steering",
        "Research Office",
        D(2027, 9, 30),
        "Guidance published; grant system records technical co-investigators.",
        B,
        20,
    ),
    (
        Pillar.RECOGNITION,
        "R3.1",
        "Publish the number of professionally registered technicians in the annual report",
        "hr",
        "Technician Commitment Steering Group",
        D(2026, 10, 30),
        "Figure reported each year and compared with the sector.",
        C,
        100,
    ),
    (
        Pillar.RECOGNITION,
        "R3.2",
        "Recognise technicians' supervision of student projects in workload models",
        "manager",
        "Faculty managers",
        D(2027, 7, 31),
        "Workload models in all faculties count technical supervision.",
        NS,
        0,
    ),
    # Career development
    (
        Pillar.CAREER_DEVELOPMENT,
        "C1.1",
        "Publish documented career pathways for every technical role family",
        "hr",
        "HR Reward team",
        D(2026, 12, 11),
        "Pathways for all eight role families on the intranet.",
        IP,
        65,
    ),
    (
        Pillar.CAREER_DEVELOPMENT,
        "C1.2",
        "Build a skills matrix for technical teams and link it to the directory",
        "technician",
        "Technical Services",
        D(2027, 1, 29),
        "Every technical team has a current skills matrix.",
        IP,
        40,
    ),
    (
        Pillar.CAREER_DEVELOPMENT,
        "C1.3",
        "Launch a technician mentoring scheme open to every technician",
        "training",
        "Technician Development team",
        D(2026, 4, 30),
        "60 mentoring pairs in the first year; 80 % satisfied.",
        C,
        100,
    ),
    (
        Pillar.CAREER_DEVELOPMENT,
        "C1.4",
        "Make sure every technician has an annual development review with a training plan",
        "manager",
        "Line managers",
        D(2027, 10, 29),
        "Review completion above 90 % in the HR system.",
        IP,
        50,
    ),
    (
        Pillar.CAREER_DEVELOPMENT,
        "C2.1",
        "Protect ten training days a year (7 on the job, 2 "
        "conferences and workshops, 1 formal) for every technician",
        "training",
        "Technician Development team",
        D(2028, 7, 31),
        "Median recorded training days at or above 10.",
        IP,
        30,
    ),
    (
        Pillar.CAREER_DEVELOPMENT,
        "C2.2",
        "Create a technician development fund for courses the vocational fund does not cover",
        "hr",
        "HR and Finance",
        D(2026, 2, 27),
        "Fund open with a simple case-based application.",
        C,
        100,
    ),
    (
        Pillar.CAREER_DEVELOPMENT,
        "C2.3",
        "Run a technical leadership programme for senior technicians",
        "training",
        "Organisational Development",
        D(2027, 4, 30),
        "Two cohorts of 15; half take on a leadership role within two years.",
        IP,
        25,
    ),
    (
        Pillar.CAREER_DEVELOPMENT,
        "C2.4",
        "Offer secondments and job shadowing between technical teams",
        "manager",
        "Heads of Technical Services",
        D(2026, 11, 13),
        "Twenty secondments or shadowing placements a year.",
        B,
        15,
    ),
    (
        Pillar.CAREER_DEVELOPMENT,
        "C3.1",
        "Review technician job descriptions and grading so "
        "progression is possible without changing job",
        "hr",
        "HR Reward team",
        D(2027, 12, 17),
        "Regrading route published; first cases decided.",
        NS,
        0,
    ),
    (
        Pillar.CAREER_DEVELOPMENT,
        "C3.2",
        "Give technicians access to the university's coaching pool",
        "training",
        "Organisational Development",
        D(2026, 12, 18),
        "Technicians make up 10 % of coaching clients.",
        IP,
        80,
    ),
    (
        Pillar.CAREER_DEVELOPMENT,
        "C3.3",
        "Support technicians to teach: a route into Advance HE fellowship",
        "training",
        "Academic Practice",
        D(2027, 6, 30),
        "Ten technicians gain Associate Fellowship.",
        NS,
        0,
    ),
    # Sustainability
    (
        Pillar.SUSTAINABILITY,
        "S1.1",
        "Grow technical apprenticeships from Level 3 to degree level",
        "hr",
        "Apprenticeships team",
        D(2028, 3, 31),
        "Thirty apprentices in post; levy fully used for technical roles.",
        IP,
        40,
    ),
    (
        Pillar.SUSTAINABILITY,
        "S1.2",
        "Offer T-Level industry placements in technical teams",
        "manager",
        "Heads of Technical Services",
        D(2026, 9, 30),
        "Ten placements a year.",
        IP,
        60,
    ),
    (
        Pillar.SUSTAINABILITY,
        "S1.3",
        "Plan succession for single-person-dependent technical expertise",
        "steering",
        "Technical Services",
        D(2027, 3, 31),
        "Every critical skill has a documented deputy.",
        IP,
        20,
    ),
    (
        Pillar.SUSTAINABILITY,
        "S2.1",
        "Collect age and skills profiles of the technical workforce each year",
        "hr",
        "HR Business Intelligence",
        D(2026, 12, 1),
        "Workforce report to the steering group every autumn.",
        IP,
        90,
    ),
    (
        Pillar.SUSTAINABILITY,
        "S2.2",
        "Share equipment and expertise across departments through the directory",
        "technician",
        "Core facility managers",
        D(2027, 5, 28),
        "Directory lists kit for every facility; 30 cross-department bookings.",
        IP,
        35,
    ),
    (
        Pillar.SUSTAINABILITY,
        "S2.3",
        "Set up a technician network with termly meetings and an online community",
        "technician",
        "Technician Network committee",
        D(2026, 3, 27),
        "Network launched; three meetings a year.",
        C,
        100,
    ),
    (
        Pillar.SUSTAINABILITY,
        "S3.1",
        "Include technical staff costs in every grant application where the funder allows",
        "steering",
        "Research Office",
        D(2027, 8, 31),
        "Costing tool prompts for technical time; audit of 50 applications.",
        NS,
        0,
    ),
    (
        Pillar.SUSTAINABILITY,
        "S3.2",
        "Join the National Technician Development Centre as a partner",
        "steering",
        "Technician Commitment Steering Group",
        D(2025, 12, 19),
        "Partnership in place and resources promoted.",
        C,
        100,
    ),
    (
        Pillar.SUSTAINABILITY,
        "S3.3",
        "Measure progress with a technician survey every two years",
        "hr",
        "HR and Technician Network",
        D(2026, 11, 27),
        "Response rate above 40 %; results drive the next plan.",
        IP,
        70,
    ),
    (
        Pillar.SUSTAINABILITY,
        "S3.4",
        "Develop a technical talent pipeline with local colleges and the Institute of Technology",
        "manager",
        "Widening Participation",
        D(2028, 6, 30),
        "Partnership agreement; 15 recruits from partner colleges.",
        NS,
        0,
    ),
]

# Past updates: (ref, days after the plan started, status, progress, note)
UPDATES = [
    # V1.1's notes quote the portal's own figures (`_profile_notes`), filled in when seeded.
    ("V1.1", 60, IP, 30, "Profile template agreed with the web team; {early} profiles complete."),
    ("V1.1", 190, IP, 75, "Drop-in sessions in every faculty: {later} profiles now complete."),
    (
        "V1.1",
        230,
        C,
        100,
        "Target met: {percent} % of technicians have a complete profile ({complete} of "
        "{active}, as HR's staff-list panel shows). Closing the action.",
    ),
    ("V2.1", 120, C, 100, "All schools have a helpdesk address; added to the directory."),
    ("V2.3", 300, IP, 70, "Venue booked for December; call for posters open."),
    ("V3.1", 280, B, 40, "Waiting for the new research infrastructure site: launch delayed."),
    ("R1.2", 200, IP, 60, "First six champions trained by the Science Council."),
    ("R1.2", 440, C, 100, "Twelve champions trained, at least one per faculty."),
    ("R2.1", 320, C, 100, "First awards presented at the summer reception: 9 winners."),
    ("C1.3", 150, IP, 50, "Scheme launched; 42 pairs matched so far."),
    ("C1.3", 260, C, 100, "63 pairs matched; survey shows 85 % satisfied."),
    ("C2.2", 180, C, 100, "Fund open since February; 14 applications approved."),
    ("C2.4", 350, B, 15, "Paused: teams cannot release staff until the recruitment freeze ends."),
    ("S1.2", 330, IP, 60, "Six placements agreed with two colleges for September."),
    ("S2.3", 220, C, 100, "Network launched at the spring meeting: 180 members."),
    ("S3.2", 130, C, 100, "Partnership agreement signed with the NTDC."),
]


def _profile_figures() -> dict[str, str]:
    """The figures V1.1's updates quote: complete profiles now, as the portal counts them (HR's
    staff-list panel), and smaller counts for the earlier updates."""
    complete, active, percent = profile_completeness()
    return {
        "complete": f"{complete:,}",
        "active": f"{active:,}",
        "percent": str(percent),
        "early": f"{complete * 15 // 100:,}",
        "later": f"{complete * 65 // 100:,}",
    }


def _out(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


def _owners(stdout) -> dict[str, object]:
    users = get_user_model().objects
    fallback = (
        users.filter(is_active=True, is_superuser=True).order_by("pk").first()
        or users.filter(is_active=True, is_staff=True).order_by("pk").first()
    )
    owners = {}
    for role, emails in OWNER_CANDIDATES.items():
        owners[role] = users.filter(email__in=emails, is_active=True).order_by("pk").first()
    if any(owner is None for owner in owners.values()) and fallback is None:
        # No demo users at all: create the owners this plan needs (they cannot log in).
        for role in FALLBACK_OWNERS:
            if owners[role] is None:
                owners[role] = _fallback_owner(role, stdout)
    owners = {role: owner or fallback for role, owner in owners.items()}
    if not permissions.can_edit_action_plans(owners["steering"]):
        owners["steering"] = _fallback_owner("steering", stdout)  # the plan's editor
    return owners


def _fallback_owner(role: str, stdout):
    email, first, last, group_name = FALLBACK_OWNERS[role]
    user, created = get_user_model().objects.get_or_create(
        username=email, defaults={"email": email, "first_name": first, "last_name": last}
    )
    if created:
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get_or_create(name=group_name)[0])
        _out(stdout, f"  created demo owner {email}\n")
    return user


@contextmanager
def _dated_history(when: datetime.datetime):
    """History rows written meanwhile say the demo plan began with them, on `when`."""

    def backdate(sender, history_instance, **kwargs):
        history_instance.history_date = when
        history_instance.history_change_reason = format_reason(Reason.DEMO)

    pre_create_historical_record.connect(backdate, dispatch_uid="actionplan-demo")
    try:
        yield
    finally:
        pre_create_historical_record.disconnect(dispatch_uid="actionplan-demo")


@transaction.atomic
def seed_demo_plan(stdout=None) -> ActionPlan:
    """Create (once) the published demo plan with ~40 actions and their past updates.

    The plan and its actions go through the services (`create_plan`, `create_action`), so they
    pass every rule of the pages. The past updates are written as they stand: posting them
    through `post_update` would date them today and replay the actions' progress.
    """
    plan_start = timezone.make_aware(datetime.datetime.combine(PLAN_STARTS, datetime.time(9, 0)))
    owners = _owners(stdout)
    editor = owners["steering"]
    plan = ActionPlan.objects.filter(title=PLAN_TITLE).first()
    created = plan is None
    with _dated_history(plan_start):
        if created:
            plan = services.create_plan(
                editor,
                title=PLAN_TITLE,
                starts_on=PLAN_STARTS,
                ends_on=PLAN_ENDS,
                status=ActionPlan.Status.PUBLISHED,
                description=PLAN_DESCRIPTION,
            )
        existing = set(plan.actions.values_list("ref", flat=True))
        added = 0
        for pillar, ref, title, role, lead, due_on, measure, status, progress in ACTIONS:
            if ref in existing or plan.is_archived:
                continue
            services.create_action(
                editor,
                plan,
                pillar=pillar,
                ref=ref,
                title=title,
                owner=owners.get(role),
                lead=lead,
                due_on=due_on,
                success_measure=measure,
                status=status,
                progress=progress,
            )
            added += 1
    actions = {action.ref: action for action in plan.actions.all()}
    with_updates = set(
        ActionUpdate.objects.filter(action__plan=plan).values_list("action__ref", flat=True)
    )
    start = timezone.make_aware(datetime.datetime.combine(PLAN_STARTS, datetime.time(10, 0)))
    figures = _profile_figures()
    updates = [
        ActionUpdate(
            action=actions[ref],
            author=actions[ref].owner,
            note=note.format(**figures),
            status=status,
            progress=progress,
            created=start + datetime.timedelta(days=days),
        )
        for ref, days, status, progress, note in UPDATES
        if ref in actions
        and ref not in with_updates
        and start + datetime.timedelta(days=days) <= timezone.now()  # never in the future
    ]
    ActionUpdate.objects.bulk_create(updates)
    plans_changed()  # written in bulk (no signals)
    _out(
        stdout,
        f"Action plan “{plan.title}”: {'created' if created else 'already there'}, "
        f"{added} actions and {len(updates)} updates added.\n",
    )
    return plan


def seed_demo(*, technicians: int, stdout=None) -> None:
    """The "actionplan" seeder of `manage.py seed_demo`: the demo plan, after the logins."""
    seed_demo_plan(stdout)
