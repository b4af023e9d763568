"""The careers app's part of a person's data (portal.personal_data): their statement, a band
HR placed them in, their mentoring applications, pairs, meetings and evaluations.

Two things stay out of the zip, which HR can also download: the private notes of meetings (only
the two people of a pair read them, on the pair's page) and the free-text preferences of an
application (only the coordinators read them). Retention removes the statement, the band
placement, the free text of applications, the notes of the person's meetings and the comments
of their evaluations."""

from __future__ import annotations

from django.db.models import Q

from careers.models import (
    BandOverride,
    CareerStatement,
    MentoringApplication,
    MentoringEvaluation,
    MentoringMeeting,
    MentoringPair,
)
from portal.personal_data import PersonalData, plural, rows


def _pairs(technician):
    return MentoringPair.objects.filter(Q(mentor=technician) | Q(mentee=technician))


def collect(technician) -> PersonalData:
    return PersonalData(
        description=(
            "your career statement and band, your mentoring applications, pairs, meetings "
            "(their dates: the private notes are on the pair's page only) and evaluations"
        ),
        tables={
            "statement": rows(
                CareerStatement.objects.filter(technician=technician), "text", "updated"
            ),
            "band_placement": rows(
                BandOverride.objects.filter(technician=technician),
                "band__pathway__name",
                "band__name",
                "reason",
                "updated",
            ),
            "mentoring_applications": rows(
                MentoringApplication.objects.filter(technician=technician).order_by("created"),
                "round__scheme__name",
                "round__name",
                "as_mentor",
                "as_mentee",
                "capacity",
                "topics_text",
                "career_areas",
                "prefers_other_department",
                "prefers_same_site",
                "created",
            ),
            "mentoring_pairs": rows(
                _pairs(technician).order_by("created", "pk"),
                "round__scheme__name",
                "round__name",
                "mentor__staff_number",
                "mentee__staff_number",
                "status",
                "starts_on",
                "ends_on",
            ),
            "mentoring_meetings": rows(
                MentoringMeeting.objects.filter(pair__in=_pairs(technician)).order_by("date"),
                "pair__round__name",
                "date",
                "logged_by__staff_number",
            ),
            "mentoring_evaluations": rows(
                MentoringEvaluation.objects.filter(technician=technician).order_by("created"),
                "pair__round__name",
                "stage",
                "usefulness",
                "goals_met",
                "comment",
                "created",
            ),
        },
    )


def anonymise(technician, *, dry_run: bool) -> list[str]:
    done = []
    statements = CareerStatement.objects.filter(technician=technician)
    placements = BandOverride.objects.filter(technician=technician)
    applications = MentoringApplication.objects.filter(technician=technician).exclude(
        topics_text="", preferences_note=""
    )
    notes = MentoringMeeting.objects.filter(pair__in=_pairs(technician)).exclude(note="")
    comments = MentoringEvaluation.objects.filter(technician=technician).exclude(comment="")
    for queryset, word, change in (
        (statements, "career statement", None),
        (placements, "band placement", None),
        (applications, "mentoring application text", {"topics_text": "", "preferences_note": ""}),
        (notes, "mentoring meeting note", {"note": ""}),
        (comments, "mentoring evaluation comment", {"comment": ""}),
    ):
        count = queryset.count()
        if not count:
            continue
        if dry_run:
            pass
        elif change:
            queryset.update(**change)
        else:
            queryset.delete()
        done.append(f"{plural(count, word)} removed")
    return done
