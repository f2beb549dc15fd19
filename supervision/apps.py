from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("Supervision")

    def ready(self):
        from flows.steps import register_step

        from .actions import SUPERVISE_ACTIONS

        register_step("supervise", _("Supervise"), *SUPERVISE_ACTIONS)

        from django_fsm.signals import post_transition

        from cases.models import Case

        from .listing import end_supervisions_of_finished_case

        post_transition.connect(end_supervisions_of_finished_case, sender=Case, dispatch_uid="end-supervisions")
