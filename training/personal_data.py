"""The training app's part of a person's data (portal.personal_data): bookings, the training
ledger, course interests; retention removes the evidence files and reflections."""

from __future__ import annotations

from portal.personal_data import PersonalData, delete_files, files_of, plural, rows
from training.models import Booking, CalendarToken, CourseInterest, TrainingRecord


def collect(technician) -> PersonalData:
    records = TrainingRecord.objects.filter(technician=technician).order_by("date", "pk")
    return PersonalData(
        description="your training bookings, your training ledger and the courses you follow",
        tables={
            "bookings": rows(
                Booking.objects.filter(technician=technician).order_by("created", "pk"),
                "session__course__title",
                "session__starts_at",
                "session__location",
                "status",
                "cancelled_late",
                "decline_reason",
                "created",
                "cancelled_at",
            ),
            "records": rows(
                records,
                "date",
                "days",
                "category",
                "title",
                "provider",
                "reflection",
                "evidence_name",
                "created",
            ),
            "course_interests": rows(
                CourseInterest.objects.filter(technician=technician), "course__title", "created"
            ),
            "calendar_feed": rows(CalendarToken.objects.filter(technician=technician), "created"),
        },
        files=files_of(records, "evidence", "evidence_name"),
    )


def anonymise(technician, *, dry_run: bool) -> list[str]:
    records = TrainingRecord.objects.filter(technician=technician)
    files = delete_files(
        records,
        "evidence",
        dry_run=dry_run,
        clear=("evidence_name", "evidence_content_type"),
    )
    reflections = records.exclude(reflection="")
    count = reflections.count()
    tokens = CalendarToken.objects.filter(technician=technician)
    has_token = tokens.exists()
    if not dry_run:
        reflections.update(reflection="")
        tokens.delete()
        Booking.objects.filter(technician=technician).exclude(decline_reason="").update(
            decline_reason=""
        )
    done = []
    if files:
        done.append(f"{plural(files, 'evidence file')} deleted")
    if count:
        done.append(f"{plural(count, 'reflection')} removed")
    if has_token:
        done.append("calendar feed closed")
    return done
