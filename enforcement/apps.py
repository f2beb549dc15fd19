from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnforcementConfig(AppConfig):
    name = "enforcement"
    verbose_name = _("Agencies and officers")

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from django.urls import register_converter

        from .inputs import IdConverter

        register_converter(IdConverter, "id")  # <id:...> in URLs: ASCII digits (not ², ① or ٣)

        from . import checks  # noqa: F401 - registers the calendar's system check
        from .models import CalendarDay, CalendarYear, DeadlinePolicy
        from .refcache import clear_on_change

        for model in (CalendarDay, CalendarYear, DeadlinePolicy):
            post_save.connect(clear_on_change, sender=model, dispatch_uid=f"refcache-save-{model.__name__}")
            post_delete.connect(clear_on_change, sender=model, dispatch_uid=f"refcache-delete-{model.__name__}")
