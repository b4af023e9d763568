"""The admin cannot get around registration's services: fees, budgets, registrations and CPD
entries are read-only there (their pages call the services); a leaver is not a tick box."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from registration.models import CPDEntry, FundingBudget, Register, Registration
from technicians.models import Technician


@pytest.fixture
def admin_request(personas):
    request = RequestFactory().get("/admin/")
    request.user = personas.admin
    return request


@pytest.mark.parametrize("model", [FundingBudget, Registration, CPDEntry])
def test_what_the_services_guard_is_read_only(model, admin_request):
    model_admin = admin.site._registry[model]
    assert model_admin.has_view_permission(admin_request)
    assert not model_admin.has_add_permission(admin_request)
    assert not model_admin.has_change_permission(admin_request)
    assert not model_admin.has_delete_permission(admin_request)


def test_register_fees_change_on_the_fees_page_only(admin_request):
    model_admin = admin.site._registry[Register]
    readonly = model_admin.get_readonly_fields(admin_request)
    assert {"application_fee", "annual_fee", "fee_note"} <= set(readonly)
    assert not model_admin.list_editable


def test_a_leaver_is_not_marked_in_the_admin(admin_request):
    model_admin = admin.site._registry[Technician]
    assert "is_active" in model_admin.get_readonly_fields(admin_request)


def test_the_budget_admin_page_shows_and_saves_nothing(personas, client):
    FundingBudget.objects.create(financial_year=2026, amount=1000)
    client.force_login(personas.admin, backend="technicians.auth_backends.ModelBackend")
    budget = FundingBudget.objects.get()
    page = client.get(f"/admin/registration/fundingbudget/{budget.pk}/change/")
    assert page.status_code == 200
    client.post(
        f"/admin/registration/fundingbudget/{budget.pk}/change/",
        {"financial_year": 2026, "amount": "1"},
    )
    budget.refresh_from_db()
    assert budget.amount == 1000
