from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Agency, CalendarDay, DeadlinePolicy, Notification, TimeLimit, User


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "kind"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "name_en"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "agency", "role", "is_active"]
    list_filter = ["agency__kind", "role", "is_active"]
    search_fields = ["username", "full_name"]
    fieldsets = BaseUserAdmin.fieldsets + ((_("Agency and role"), {"fields": ["full_name", "agency", "role"]}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((_("Agency and role"), {"fields": ["full_name", "agency", "role"]}),)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """Add or correct days of the official calendar without a release."""

    list_display = ["date", "is_working_day", "note"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(admin.ModelAdmin):
    list_display = ["step", "kind", "grade", "working_days", "grace_working_days", "basis"]
    list_filter = ["step", "kind", "grade"]
    list_editable = ["working_days", "grace_working_days"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "level", "subject", "delivered_at", "attempts"]
    list_filter = ["level"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(TimeLimit)
class TimeLimitAdmin(admin.ModelAdmin):
    """Limits the rules set on times: update one here when a rule changes."""

    list_display = ["code", "label", "days", "working_days", "confirmed", "basis"]
    list_editable = ["days", "working_days", "confirmed"]
