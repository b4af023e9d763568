"""Permission matrix of the annual reports: HR requests and lists them; HR and the steering
group download them and read the figures and CSVs; nobody else (403), anonymous visitors go
to the login page. A report not ready yet is not found (404) even for those who may read it.
"""

from django.core.files.base import ContentFile
from django.utils import timezone

from tests.matrix import Row, staff

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def setup(world) -> None:
    from commitment.models import AnnualReport
    from portal.periods import academic_year_of

    world.report_year = academic_year_of(timezone.localdate())
    world.report_ready = AnnualReport.objects.create(
        year=world.report_year, version=1, requested_by=world.hr, status="ready", pages=1
    )
    world.report_ready.file.save("report.pdf", ContentFile(PDF), save=True)
    world.report_queued = AnnualReport.objects.create(
        year=world.report_year, version=2, requested_by=world.hr
    )


HR = staff(403, hr=200, admin=200)
HR_REDIRECT = staff(403, hr=302, admin=302)  # refused with a message, back to the page
READERS = staff(403, hr=200, steering=200, admin=200)
READERS_NOT_READY = staff(403, hr=404, steering=404, admin=404)

ROWS = [
    Row("reports:list", lambda w: "/reports/", HR),
    Row(
        "reports:list",
        lambda w: "/reports/",
        HR_REDIRECT,
        method="post",
        data=lambda w: {"year": "2999"},
        note=" a year not started",
    ),
    Row("reports:download", lambda w: f"/reports/{w.report_ready.pk}/download/", READERS),
    Row(
        "reports:download",
        lambda w: f"/reports/{w.report_queued.pk}/download/",
        READERS_NOT_READY,
        note=" not ready",
    ),
    Row("reports:figures", lambda w: f"/reports/figures/{w.report_year}/", READERS),
    Row("reports:csv", lambda w: f"/reports/figures/{w.report_year}/summary.csv", READERS),
]
