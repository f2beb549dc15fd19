from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    """Who is late: the escalation ladder and its scan, supervision (督办) and
    the listing of major hazards (挂牌督办)."""

    name = "supervision"
    verbose_name = _("Supervision")

    def ready(self):
        from . import flows  # noqa: F401 - the supervision process, known to the engine's labels and checks
