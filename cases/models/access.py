"""Who may see what: the agencies that may see a case (``CaseAccess``, the
rule's one table, written by ``cases.services.grant_access_many``) and its
mirror by enterprise (``EnterpriseAccess``, kept by database triggers:
``cases.enterprise_access``)."""
from django.db import models

from org.models import Agency

from .case import Case, Enterprise


class CaseAccess(models.Model):
    """Agencies that may see a case: lead, participants, the street, and any
    agency that has or had a task on it. One indexed row per (case, agency), so
    that visibility is answered from an index (``cases.selectors``)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="access")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "case"], name="case_access_unique")]


class EnterpriseAccess(models.Model):
    """(agency, enterprise) for each agency with a ``CaseAccess`` row on a case of the enterprise: a mirror
    kept by the database's triggers (``cases.enterprise_access``), so that the register's visibility
    (``register.selectors.visible_enterprises``) is one index probe per enterprise, not a walk over its cases."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+", db_index=False)
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "enterprise"], name="enterprise_access_unique")]
