# Owned by the staff-list work: HR's import and export (being written).
from django.http import HttpResponse


def import_staff(request):
    return HttpResponse(status=501)


def export_csv(request):
    return HttpResponse(status=501)
