"""Recognition in the admin, read-only: calls, applications, awards and outputs change through
the portal's pages and `recognition.services`, which hold the rules (limits, the pot, who may
act); the admin shows them and saves none of it."""

from django.contrib import admin

from recognition.models import (
    AwardCategory,
    Contribution,
    FundApplication,
    FundCall,
    JudgingRound,
    Nomination,
    Output,
)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FundCall)
class FundCallAdmin(ReadOnly):
    list_display = ("title", "opens_on", "closes_on", "pot", "max_award")


@admin.register(FundApplication)
class FundApplicationAdmin(ReadOnly):
    list_display = ("applicant", "call", "activity", "status", "amount_requested", "amount_awarded")
    list_filter = ("status", "call")
    list_select_related = ("applicant", "call")


@admin.register(AwardCategory)
class AwardCategoryAdmin(ReadOnly):
    list_display = ("name", "is_team", "newcomer_years", "active")


@admin.register(JudgingRound)
class JudgingRoundAdmin(ReadOnly):
    list_display = ("year", "number", "cutoff_on")


@admin.register(Nomination)
class NominationAdmin(ReadOnly):
    list_display = ("nominee", "category", "round_year", "round_number", "status")
    list_filter = ("status", "category", "round_year")
    list_select_related = ("nominee", "category")


@admin.register(Output)
class OutputAdmin(ReadOnly):
    list_display = ("title", "kind", "doi", "year")
    search_fields = ("title", "doi")


@admin.register(Contribution)
class ContributionAdmin(ReadOnly):
    list_display = ("technician", "output", "credit", "confirmed")
    list_select_related = ("technician", "output")
