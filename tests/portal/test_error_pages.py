"""Error pages render inside the portal's layout (base.html: header, navigation, skip link),
with one heading saying what happened."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.portal.html_checks import h1_count

pytestmark = pytest.mark.django_db


def assert_in_layout(html: str, institution: str = "University of Northfield") -> None:
    assert 'class="skip-link"' in html
    assert '<nav aria-label="Main">' in html
    assert institution in html
    assert h1_count(html) == 1


def test_the_404_page_is_in_the_layout_with_the_users_navigation(personas, login, settings):
    settings.PORTAL_INSTITUTION_NAME = "University of Example"
    response = login(personas.hr).get("/technicians/999999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert_in_layout(html, "University of Example")
    assert "Page not found" in html
    assert 'href="/technicians/import/"' in html  # HR's own navigation


def test_the_403_page_is_in_the_layout(personas, login):
    response = login(personas.technician).get("/technicians/export.csv")
    assert response.status_code == 403
    html = response.content.decode()
    assert_in_layout(html)
    assert "You do not have access to this page" in html


def test_an_expired_form_gets_a_clear_403_page_in_the_layout(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.technician)
    response = client.post("/technicians/me/", {"bio": "no token"})
    assert response.status_code == 403
    html = response.content.decode()
    assert_in_layout(html)
    assert "This form has expired" in html


def test_a_request_that_is_too_large_gets_a_400_page_in_the_layout(personas, login, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = login(personas.hr).post(
        "/technicians/import/",
        {"action": "upload", "note": "x" * 2048, "file": SimpleUploadedFile("a.csv", b"x")},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert_in_layout(html)
    assert "could not handle this request" in html


def test_the_403_page_gives_the_services_reason_when_there_is_one(personas, rf):
    from django.core.exceptions import PermissionDenied

    from config.views import permission_denied

    request = rf.get("/action-plans/1/edit/")
    request.user = personas.technician
    response = permission_denied(request, PermissionDenied("Only members of the steering group."))
    html = response.content.decode()
    assert response.status_code == 403
    assert "<p>Only members of the steering group.</p>" in html
    assert_in_layout(html)

    without_reason = permission_denied(request, PermissionDenied()).content.decode()
    assert "<p></p>" not in without_reason
    assert "Your role does not include this page." in without_reason
