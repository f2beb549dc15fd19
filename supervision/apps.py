from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("Supervision")

    def ready(self):
        from flows.steps import register_step

        from .actions import SUPERVISE_ACTIONS

        register_step("supervise", _("Supervise"), *SUPERVISE_ACTIONS)
