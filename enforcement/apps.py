from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnforcementConfig(AppConfig):
    """The acts of enforcement: documents of record (文书), referrals of
    suspected crimes to the police (行刑衔接), administrative penalties."""

    name = "enforcement"
    verbose_name = _("Enforcement")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from common.refcache import clear_on_change

        from .models import DocumentType, NumberingRule, PenaltySetting, Provision

        # reference tables held in memory (common.refcache): an edit in this process applies at once
        for model in (DocumentType, NumberingRule, Provision, PenaltySetting):
            post_save.connect(clear_on_change, sender=model, dispatch_uid=f"refcache-save-{model.__name__}")
            post_delete.connect(clear_on_change, sender=model, dispatch_uid=f"refcache-delete-{model.__name__}")
