from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegisterConfig(AppConfig):
    """The enterprise register (一企一档, 一企一品一码): the enterprise's file,
    its licences, major hazard installations and products with their safety
    codes; import and export; licence reminders."""

    name = "register"
    verbose_name = _("Enterprise register")
