import datetime

from django.core.management.base import BaseCommand, CommandError

from portal import reminders


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--date must be YYYY-MM-DD, not {value!r}.") from error


class Command(BaseCommand):
    help = (
        "Queue today's reminders (actions due or overdue, and every other producer an app "
        "registers). Safe to run again: nobody is reminded twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=_date,
            default=None,
            help="Act as if today were this date (YYYY-MM-DD); default: today.",
        )

    def handle(self, *args, date=None, **options):
        try:
            counts = reminders.run_all(today=date)
        except reminders.ReminderErrors as errors:
            self._report(errors.counts)
            raise CommandError(str(errors)) from errors
        self._report(counts)

    def _report(self, counts: dict[str, int]) -> None:
        for producer, queued in counts.items():
            self.stdout.write(f"{producer}: {queued} queued")
        self.stdout.write(self.style.SUCCESS(f"{sum(counts.values())} reminders queued."))
