from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    """Who and when: agencies, officers and their roles, the working-day
    calendar, deadline policies and the notification outbox."""

    name = "org"
    verbose_name = _("Agencies and officers")

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from django.urls import register_converter

        from common.inputs import IdConverter
        from common.refcache import clear_on_change

        register_converter(IdConverter, "id")  # <id:...> in URLs: ASCII digits (not ², ① or ٣)

        from . import checks  # noqa: F401 - registers the calendar's system check
        from .models import Agency, CalendarDay, CalendarYear, DeadlinePolicy, TimeLimit

        # reference tables held in memory (common.refcache): an edit in this process applies at once
        for model in (Agency, CalendarDay, CalendarYear, DeadlinePolicy, TimeLimit):
            post_save.connect(clear_on_change, sender=model, dispatch_uid=f"refcache-save-{model.__name__}")
            post_delete.connect(clear_on_change, sender=model, dispatch_uid=f"refcache-delete-{model.__name__}")
