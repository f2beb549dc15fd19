from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .calendar_admin import CalendarYearForm, save_notice_days, year_summary
from .models import (
    Agency,
    ApiToken,
    CalendarDay,
    CalendarYear,
    DeadlinePolicy,
    GroupRobot,
    Notification,
    RobotMessage,
    TimeLimit,
    User,
)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Who holds a token since when; an administrator may revoke one (delete), never see or make a key."""

    list_display = ["prefix", "user", "created"]
    search_fields = ["user__username", "prefix"]
    readonly_fields = ["prefix", "user", "created"]
    exclude = ["digest"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


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


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    """日历年度: enter a year's official holiday notice (its holidays and make-up
    working days) and mark it complete; the list says which years are known."""

    form = CalendarYearForm
    list_display = ["year", "known", "notice", "holiday_count", "workday_count", "entered_by", "loaded_at"]
    list_filter = ["known"]
    fields = ["year", "notice", "holidays", "workdays", "known"]

    @admin.display(description=_("holidays"))
    def holiday_count(self, obj):
        return CalendarDay.objects.filter(date__year=obj.year, is_working_day=False).count()

    @admin.display(description=_("make-up working days"))
    def workday_count(self, obj):
        return CalendarDay.objects.filter(date__year=obj.year, is_working_day=True).count()

    def save_model(self, request, obj, form, change):
        obj.entered_by = request.user.get_username()
        super().save_model(request, obj, form, change)
        save_notice_days(obj, form.cleaned_data["holidays"], form.cleaned_data["workdays"])

    def changelist_view(self, request, extra_context=None):
        summary = year_summary()
        self.message_user(request, summary["known"], messages.INFO)
        for problem in summary["problems"]:
            self.message_user(request, problem.message, messages.ERROR if problem.error else messages.WARNING)
        if not summary["problems"]:
            self.message_user(request, gettext("The current year is known, and the next one too or not yet due."),
                              messages.SUCCESS)
        return super().changelist_view(request, extra_context)


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


class GroupRobotForm(forms.ModelForm):
    """The secret is written, never shown back; left empty, the old one stays."""

    secret = forms.CharField(label=_("signing secret"), required=False, widget=forms.PasswordInput(render_value=False),
                             help_text=_("DingTalk's 加签 secret (SEC…); leave empty to keep the one saved."))

    class Meta:
        model = GroupRobot
        fields = ["agency", "platform", "url", "secret", "active"]

    def clean_secret(self):
        return self.cleaned_data["secret"] or (self.instance.secret if self.instance.pk else "")


@admin.register(GroupRobot)
class GroupRobotAdmin(admin.ModelAdmin):
    """An agency's group robot: its queue's new work is posted there (``org.robots``)."""

    form = GroupRobotForm
    list_display = ["agency", "platform", "active"]
    list_filter = ["platform", "active"]


@admin.register(RobotMessage)
class RobotMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "robot", "delivered_at", "attempts", "last_error"]
    readonly_fields = ["robot", "text", "created_at", "delivered_at", "attempts", "next_attempt_at", "last_error"]

    def has_add_permission(self, request):
        return False
