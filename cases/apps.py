from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate, post_save

        from common.refcache import clear_on_change

        from . import checks  # noqa: F401  (registers the system checks)
        from .dbroles import after_migrate
        from .models import MajorHazardCriterion

        # the runtime role's grants, after every migration run by the owner role (docs/history.md, "Roles")
        post_migrate.connect(after_migrate, sender=self, dispatch_uid="cases-grant-runtime-role")

        post_save.connect(clear_on_change, sender=MajorHazardCriterion, dispatch_uid="refcache-save-criterion")
        post_delete.connect(clear_on_change, sender=MajorHazardCriterion, dispatch_uid="refcache-delete-criterion")
