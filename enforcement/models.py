"""Who acts: agencies (单位) and their officers, leaders and supervisors."""
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Agency(models.Model):
    """A district agency or sub-district office (街道办事处)."""

    class Kind(models.TextChoices):
        BUREAU = "bureau", _("Bureau")
        POLICE = "police", _("Police")
        STREET = "street", _("Sub-district office")
        SAFETY_OFFICE = "safety_office", _("Work-safety committee office")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.name

    @property
    def is_street(self) -> bool:
        return self.kind == self.Kind.STREET


class User(AbstractUser):
    """An officer (执法人员), agency leader or safety-office supervisor."""

    class Role(models.TextChoices):
        OFFICER = "officer", _("Officer")
        LEADER = "leader", _("Leader")
        SUPERVISOR = "supervisor", _("Supervisor")

    full_name = models.CharField(_("full name"), max_length=60, blank=True)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="users",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.OFFICER)
    # Set by seed_demo, so that it never touches accounts it did not create.
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_leader(self) -> bool:
        return self.role == self.Role.LEADER

    @property
    def is_supervisor(self) -> bool:
        return self.role == self.Role.SUPERVISOR or (
            self.agency_id is not None and self.agency.kind == Agency.Kind.SAFETY_OFFICE
        )

    @property
    def roles(self) -> list[str]:
        """Roles as the API reports them; a leader also works as an officer."""
        roles = ["officer"]
        if self.is_leader:
            roles.append("leader")
        if self.is_supervisor:
            roles.append("supervisor")
        return roles
