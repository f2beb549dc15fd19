from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FlowsConfig(AppConfig):
    """What next: the engine of the case processes and one module per case
    kind (flows/kinds/)."""

    name = "flows"
    verbose_name = _("Case processes")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import checks  # noqa: F401 - registers the system checks
        from .policies import sync_deadline_policies

        post_migrate.connect(sync_deadline_policies, sender=self, dispatch_uid="flows-sync-deadline-policies")
