"""manage.py render_annual_report YEAR [--output FILE]: the annual report's PDF, without the
web or a worker. YEAR is the academic year's first year (2025 means 2025–26)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from commitment.reports import rendering
from portal.periods import academic_year_label


class Command(BaseCommand):
    help = "Render the annual progress report of an academic year to a PDF file."

    def add_arguments(self, parser):
        parser.add_argument(
            "year", type=int, help="The academic year's first year: 2025 is 2025–26."
        )
        parser.add_argument(
            "--output",
            help="Where to write the PDF (default: annual-report-YEAR.pdf in this folder).",
        )

    def handle(self, *args, year: int, output: str | None, **options):
        path = Path(output or f"annual-report-{year}.pdf")
        try:
            result = rendering.render_pdf(year)
        except rendering.RenderingUnavailable as error:
            raise CommandError(str(error)) from error
        path.write_bytes(result.pdf)
        self.stdout.write(
            f"The annual report for {academic_year_label(year)}: {path} "
            f"({result.pages} pages, {len(result.pdf) // 1024} KB)."
        )
