from django.contrib import admin
from django.db import models
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from actionplan.models import Action, ActionPlan, ActionUpdate


class ActionInline(admin.TabularInline):
    model = Action
    fk_name = "plan"
    extra = 0
    fields = ("ref", "pillar", "title", "owner", "due_on", "status", "progress")
    raw_id_fields = ("owner",)
    show_change_link = True


@admin.register(ActionPlan)
class ActionPlanAdmin(SimpleHistoryAdmin):
    list_display = ("title", "starts_on", "ends_on", "status")
    list_filter = ("status",)
    search_fields = ("title",)
    raw_id_fields = ("previous",)
    inlines = [ActionInline]


class ActionUpdateInline(admin.TabularInline):
    model = ActionUpdate
    extra = 0
    fields = ("created", "author", "status", "progress", "note", "evidence_name", "evidence_url")
    raw_id_fields = ("author",)
    readonly_fields = fields
    can_delete = False
    show_change_link = True


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ("ref", "title", "plan", "pillar", "owner", "due_on", "status", "progress")
    list_filter = ("plan", "pillar", "status")
    search_fields = ("ref", "title", "lead", "owner__email")
    list_select_related = ("plan", "owner")
    raw_id_fields = ("owner", "continues")
    history_list_display = ["status", "progress", "due_on"]
    inlines = [ActionUpdateInline]


@admin.register(ActionUpdate)
class ActionUpdateAdmin(admin.ModelAdmin):
    list_display = ("action", "author", "status", "progress", "created")
    list_filter = ("status",)
    search_fields = ("action__ref", "action__title", "note")
    list_select_related = ("action", "author")
    raw_id_fields = ("action", "author")
    # The file is shown through the permission-checked view, never as a MEDIA_ROOT link.
    exclude = ("evidence",)
    readonly_fields = ("evidence_file", "evidence_name", "evidence_content_type")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(description="Evidence file")
    def evidence_file(self, obj):
        if not obj.evidence:
            return "—"
        return format_html('<a href="{}">{}</a>', obj.get_evidence_url(), obj.evidence_name)
