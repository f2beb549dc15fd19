"""System checks of the history's guards (docs/history.md).

``check --deploy`` warns when no checkpoint directory is set: the chains
would then be verified without anything outside the database to compare them
with, and a dropped tail or a deleted case would go unseen.
"""
from django.conf import settings
from django.core import checks
from django.utils.translation import gettext_lazy as _


@checks.register(checks.Tags.security, deploy=True)
def checkpoint_directory(app_configs=None, **kwargs):
    if settings.HISTORY_CHECKPOINT_DIR:
        return []
    return [checks.Warning(
        _("HISTORY_CHECKPOINT_DIR is not set: no signed checkpoint of the history is written, so a case deleted "
          "with its history or a history cut short goes unseen"),
        hint=_("Set HISTORY_CHECKPOINT_DIR to a directory on the application servers, outside the database's host, "
               "and run beat (docs/history.md)."),
        id="cases.W001",
    )]
