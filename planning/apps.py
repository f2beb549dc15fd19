from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    """The plan's 22 key tasks, progress reports, campaigns, statistics, the
    dashboard and the monthly workbook."""

    name = "planning"
    verbose_name = _("Plan and reports")
