"""Cases are read-only in the admin: every change goes through the flow's
services, so that it is locked, checked and written to the history."""
from django.contrib import admin

from .models import Case, CaseHistory, Enterprise


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class HistoryInline(admin.TabularInline):
    model = CaseHistory
    fields = ["at", "actor", "agency", "action", "from_state", "to_state", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "kind", "grade", "state", "lead_agency", "street", "created_at", "due_at"]
    list_filter = ["kind", "grade", "state", "lead_agency", "street"]
    search_fields = ["number", "title", "enterprise__name", "enterprise__uscc"]
    list_select_related = ["lead_agency", "street"]
    inlines = [HistoryInline]


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["name", "uscc", "street", "risk", "draft"]
    list_filter = ["risk", "draft", "street"]
    search_fields = ["name", "uscc"]
