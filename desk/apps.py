from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    """The officer's desk: the pages and the API of cases and tasks (inbox,
    queue, registration, the case file, the task page), which show what every
    other app holds."""

    name = "desk"
    verbose_name = _("Desk")
