"""Administrators and HR edit registers and bodies here. What registration.services guards is
read-only here, so the admin cannot get around its rules: fees (the fees page, through
`update_register_fees`), budgets (the budget page, `set_budget`: never below what is
committed), registrations and CPD entries (the technician's pages and HR's, `save_registration`,
`add_cpd_entry`), and applications (their workflow)."""

from django.contrib import admin

from portal.permissions import is_hr
from registration.models import (
    CPDEntry,
    FundingApplication,
    FundingBudget,
    FundingEvent,
    ProfessionalBody,
    Register,
    Registration,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never changed here: the service on the portal's page keeps the rules."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Register)
class RegisterAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "council", "post_nominal", "application_fee", "annual_fee")
    # Fees change through the fees page (registration.services.update_register_fees).
    readonly_fields = ("application_fee", "annual_fee", "fee_note")
    list_filter = ("council",)
    search_fields = ("code", "title")
    fields = (
        "code",
        "title",
        "council",
        "post_nominal",
        "application_fee",
        "annual_fee",
        "fee_note",
        "order",
    )

    # HR keeps the fees up to date (the admin site itself decides who may log in to it).
    def has_module_permission(self, request):
        return is_hr(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_hr(request.user) or super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return is_hr(request.user) or super().has_change_permission(request, obj)


@admin.register(ProfessionalBody)
class ProfessionalBodyAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "council")
    list_filter = ("council", "registers")
    search_fields = ("name", "short_name")
    filter_horizontal = ("registers",)


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ("technician", "register", "body", "status", "registered_on", "renewal_due_on")
    list_filter = ("status", "register", "body")
    search_fields = ("technician__first_name", "technician__last_name", "membership_number")
    autocomplete_fields = ("technician",)
    list_select_related = ("technician", "register", "body")


@admin.register(CPDEntry)
class CPDEntryAdmin(ReadOnlyAdmin):
    list_display = ("technician", "date", "activity", "hours")
    search_fields = ("technician__first_name", "technician__last_name", "activity")
    list_select_related = ("technician",)
    readonly_fields = ("evidence", "evidence_name", "evidence_content_type")


class FundingEventInline(admin.TabularInline):
    model = FundingEvent
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "actor", "note", "created")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(FundingApplication)
class FundingApplicationAdmin(admin.ModelAdmin):
    list_display = ("applicant", "register", "amount_requested", "status", "financial_year")
    list_filter = ("status", "financial_year", "register")
    search_fields = ("applicant__first_name", "applicant__last_name", "payment_reference")
    list_select_related = ("applicant", "register")
    inlines = [FundingEventInline]

    def has_change_permission(self, request, obj=None):
        # The workflow (and its budget lock and notifications) runs through the services.
        return False

    def has_add_permission(self, request):
        return False


@admin.register(FundingBudget)
class FundingBudgetAdmin(ReadOnlyAdmin):
    list_display = ("financial_year", "amount")
