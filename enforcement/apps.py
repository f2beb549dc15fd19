from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnforcementConfig(AppConfig):
    """The acts of enforcement: documents of record (文书), referrals of
    suspected crimes to the police (行刑衔接), administrative penalties."""

    name = "enforcement"
    verbose_name = _("Enforcement")
