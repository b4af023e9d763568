"""The Django admin of action plans: for looking things up, never a way around the services.

Every rule of a plan, an action or an update lives in `actionplan.services` (archived plans take
no changes, due dates within the plan's period, who may post updates...). Every field of these
models is one of those rules' fields, so here they are all read-only:
- plans, actions and updates are added and changed on the portal's pages (or by an import),
  which go through the services; the admin shows them, with their history;
- an archived plan, its actions and their updates cannot be deleted either;
- simple-history's "revert to this version" is off: it would save an old version directly.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from actionplan import services
from actionplan.models import Action, ActionPlan, ActionUpdate

# Changed on the pages only (services.update_plan / update_action / post_update).
PLAN_GUARDED_FIELDS = (*services.PLAN_FIELDS, "previous")
ACTION_GUARDED_FIELDS = (*services.ACTION_FIELDS, "plan", "continues")
UPDATE_FIELDS = (
    "action",
    "author",
    "created",
    "status",
    "progress",
    "note",
    "evidence_file",
    "evidence_name",
    "evidence_content_type",
    "evidence_url",
)


def _is_archived(plan: ActionPlan | None) -> bool:
    return plan is not None and plan.is_archived


class ServiceGuardedAdmin(SimpleHistoryAdmin):
    """Shown, never saved: every field is one a service guards. Only a live plan's rows may be
    deleted (the history keeps them)."""

    def archived(self, obj) -> bool:
        raise NotImplementedError

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and self.archived(obj):
            return False
        return super().has_delete_permission(request, obj)

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def save_model(self, request, obj, form, change):
        # simple-history's old-version page saves whatever is posted to it, whatever
        # revert_disabled says: nothing is saved from here.
        raise PermissionDenied("Plans and actions are changed on the portal's pages.")


class ActionInline(admin.TabularInline):
    model = Action
    fk_name = "plan"
    extra = 0
    fields = ("ref", "pillar", "title", "owner", "due_on", "status", "progress")
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # actions are changed on their own pages, through the service

    def has_delete_permission(self, request, obj=None) -> bool:
        return not _is_archived(obj) and super().has_delete_permission(request, obj)


@admin.register(ActionPlan)
class ActionPlanAdmin(ServiceGuardedAdmin):
    list_display = ("title", "starts_on", "ends_on", "status")
    list_filter = ("status",)
    search_fields = ("title",)
    readonly_fields = PLAN_GUARDED_FIELDS
    inlines = [ActionInline]

    def archived(self, obj: ActionPlan) -> bool:
        return obj.is_archived


class ActionUpdateInline(admin.TabularInline):
    model = ActionUpdate
    extra = 0
    fields = ("created", "author", "status", "progress", "note", "evidence_name", "evidence_url")
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Action)
class ActionAdmin(ServiceGuardedAdmin):
    list_display = ("ref", "title", "plan", "pillar", "owner", "due_on", "status", "progress")
    list_filter = ("plan", "pillar", "status")
    search_fields = ("ref", "title", "lead", "owner__email")
    list_select_related = ("plan", "owner")
    readonly_fields = ACTION_GUARDED_FIELDS
    history_list_display = ["status", "progress", "due_on"]
    inlines = [ActionUpdateInline]

    def archived(self, obj: Action) -> bool:
        return obj.plan.is_archived


@admin.register(ActionUpdate)
class ActionUpdateAdmin(admin.ModelAdmin):
    list_display = ("action", "author", "status", "progress", "created")
    list_filter = ("status",)
    search_fields = ("action__ref", "action__title", "note")
    list_select_related = ("action", "author")
    # Posted through services.post_update only. The file is shown through the
    # permission-checked view, never as a MEDIA_ROOT link.
    fields = UPDATE_FIELDS
    readonly_fields = UPDATE_FIELDS

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.action.plan.is_archived:
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description="Evidence file")
    def evidence_file(self, obj):
        if not obj.evidence:
            return "—"
        return format_html('<a href="{}">{}</a>', obj.get_evidence_url(), obj.evidence_name)
