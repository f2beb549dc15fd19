"""Who acts: agencies (单位) and their officers, leaders and supervisors."""
import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import roles


class AgencyQuerySet(models.QuerySet):
    def case_agencies(self):
        """Agencies that lead or join cases: not the safety office (it
        supervises) and not the plan's other units (they handle no cases)."""
        return self.exclude(kind__in=[Agency.Kind.SAFETY_OFFICE, Agency.Kind.UNIT])

    def streets(self):
        return self.filter(kind=Agency.Kind.STREET)


class Agency(models.Model):
    """A district agency or sub-district office (街道办事处)."""

    class Kind(models.TextChoices):
        BUREAU = "bureau", _("Bureau")
        POLICE = "police", _("Police")
        STREET = "street", _("Sub-district office")
        SAFETY_OFFICE = "safety_office", _("Work-safety committee office")
        UNIT = "unit", _("Other responsible unit")  # named by the plan, no case work (e.g. 区委组织部)

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    # the full name on documents and seals (天津市南开区应急管理局)
    official_name = models.CharField(_("official name"), max_length=120, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # a member unit of the district's work-safety committee (区安委会成员单位)
    committee_member = models.BooleanField(_("member of the work-safety committee"), default=False)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the page's language (the Chinese name by default)."""
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
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
    # 执法证号: printed beside the officer's name on the documents they sign
    credential_no = models.CharField(_("enforcement credential number"), max_length=40, blank=True)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="users",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.OFFICER)

    class Arrivals(models.TextChoices):
        """How a person hears of work arriving in a queue of theirs (新任务提醒)."""

        IMMEDIATE = "immediate", _("At once, one notice per task")
        DIGEST = "digest", _("Grouped, one notice per interval")
        OFF = "off", _("Not at all (I look at my queue)")

    arrivals = models.CharField(_("new work in my queue"), max_length=12, choices=Arrivals.choices,
                                default=Arrivals.DIGEST)
    email_notifications = models.BooleanField(_("also by e-mail"), default=True)
    # Set by seed_demo, so that it never touches accounts it did not create.
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_leader(self) -> bool:
        return roles.is_leader(self)

    @property
    def is_supervisor(self) -> bool:
        return roles.is_supervisor(self)

    @property
    def roles(self) -> list[str]:
        """Roles as the API reports them; a leader also works as an officer."""
        roles = ["officer"]
        if self.is_leader:
            roles.append("leader")
        if self.is_supervisor:
            roles.append("supervisor")
        return roles


class CalendarDay(models.Model):
    """An administrator's correction of the official calendar: a day that is a
    working day or a holiday whatever the calendar package says."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar correction")
        verbose_name_plural = _("calendar corrections")

    def __str__(self) -> str:
        return f"{self.date} {'工作日' if self.is_working_day else '休息日'}"


class CalendarYear(models.Model):
    """A year whose official holiday notice (国务院办公厅关于某年部分节假日安排的通知)
    an administrator entered: its holidays and make-up working days (调休) are
    the ``CalendarDay`` rows of that year, and the year counts as known once
    ``known`` is set. Years the chinese-calendar package has are known without
    a row (org.calendar, docs/calendar.md)."""

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    notice = models.CharField(
        _("notice"), max_length=200, blank=True,
        help_text=_("The notice's title or number and date, for example 国办发明电〔2025〕7号, 2025-11-04."))
    known = models.BooleanField(
        _("notice complete"), default=False,
        help_text=_("Set once every holiday and make-up working day of the notice is entered: deadlines in this "
                    "year then count on it, and are no longer provisional."))
    entered_by = models.CharField(_("entered by"), max_length=150, blank=True, editable=False)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")

    def __str__(self) -> str:
        return str(self.year)


class DeadlinePolicy(models.Model):
    """Working days allowed for a step, by case kind and grade (blank: any).
    The most specific row wins: kind and grade, then kind, then any."""

    kind = models.CharField(_("case kind"), max_length=20, blank=True)
    grade = models.CharField(_("grade"), max_length=10, blank=True)
    step = models.CharField(_("step"), max_length=40)
    working_days = models.PositiveSmallIntegerField(
        _("working days"), null=True, blank=True,
        help_text=_("Empty: the step is due on the deadline its order sets (rectification)."),
    )
    grace_working_days = models.PositiveSmallIntegerField(
        _("grace (working days)"), default=3,
        help_text=_("How long past due before the case is listed for supervision (挂牌督办)."),
    )
    basis = models.CharField(_("legal basis"), max_length=200, blank=True)

    class Meta:
        ordering = ["step", "kind", "grade"]
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")
        constraints = [
            models.UniqueConstraint(fields=["kind", "grade", "step"], name="deadline_policy_unique"),
            models.CheckConstraint(
                condition=models.Q(working_days__isnull=True) | models.Q(working_days__gt=0),
                name="deadline_policy_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.step} {self.kind or '*'}/{self.grade or '*'}: {self.working_days or '—'}"


class Delivery(models.Model):
    """Where an outbox row stands in its delivery (a notification's e-mail, a
    robot's message): delivered, or how often it failed and when to try again
    (backoff doubling from 2 minutes to 4 hours)."""

    delivered_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        abstract = True

    def delivered(self, *, now) -> None:
        self.attempts += 1
        self.delivered_at = now
        self.save(update_fields=["delivered_at", "attempts"])

    def failed(self, error: Exception, *, now) -> None:
        self.attempts += 1
        self.last_error = type(error).__name__[:200]
        self.next_attempt_at = now + dt.timedelta(minutes=min(2 ** self.attempts, 240))
        self.save(update_fields=["attempts", "last_error", "next_attempt_at"])


class Notification(Delivery):
    """The outbox: written in the same transaction as the change that causes
    it, shown in the app at once, and e-mailed by a Celery task."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    level = models.PositiveSmallIntegerField(_("level"), default=0)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    link = models.CharField(max_length=200, blank=True)
    case_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["next_attempt_at"], name="notification_pending_idx",
                         condition=models.Q(delivered_at__isnull=True)),
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient_idx"),
            # the header's unread count, read with the signed-in user on every page (org.backends):
            # the unread ones alone, however long a person's read history grows
            models.Index(fields=["recipient"], name="notification_unread_idx", condition=models.Q(read_at__isnull=True)),
        ]


class TimeLimit(models.Model):
    """A limit the rules set on a time (a listing's deadline, a suspension, a
    publication): kept as data an administrator updates when a rule changes,
    with where it comes from (org/data/limits.json; ``org.limits``)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    label = models.CharField(_("what it limits"), max_length=120)
    days = models.PositiveIntegerField(_("days"))
    working_days = models.BooleanField(_("in working days"), default=False)
    basis = models.CharField(_("basis"), max_length=300, blank=True)
    confirmed = models.BooleanField(_("basis confirmed"), default=False,
                                    help_text=_("Checked against the text of the rule it cites."))

    class Meta:
        ordering = ["code"]
        verbose_name = _("time limit")
        verbose_name_plural = _("time limits")

    def __str__(self) -> str:
        return f"{self.label}: {self.days}"


class GroupRobot(models.Model):
    """An agency's group robot on a government messaging platform (钉钉/政务微信
    群机器人): the agency's queue arrivals are posted to it, signed where the
    platform signs (``org.robots``). Set up by an administrator; its address
    and secret are never logged or shown back."""

    class Platform(models.TextChoices):
        DINGTALK = "dingtalk", _("DingTalk group robot (signed)")
        WECOM = "wecom", _("WeCom group robot")

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="robots")
    platform = models.CharField(_("platform"), max_length=12, choices=Platform.choices)
    url = models.URLField(_("webhook address"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=200, blank=True,
                              help_text=_("DingTalk's 加签 secret (SEC…); leave empty for WeCom."))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("group robot")
        verbose_name_plural = _("group robots")

    def __str__(self) -> str:
        return f"{self.agency} · {self.get_platform_display()}"


class RobotMessage(Delivery):
    """The robots' outbox: written with the change that causes it, posted by the
    delivery task after commit, retried with backoff like a notification."""

    robot = models.ForeignKey(GroupRobot, on_delete=models.CASCADE, related_name="messages")
    text = models.TextField(_("message"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("robot message")
        verbose_name_plural = _("robot messages")
        indexes = [models.Index(fields=["next_attempt_at"], name="robotmessage_pending_idx",
                                condition=models.Q(delivered_at__isnull=True))]


class ApiToken(models.Model):
    """An API token, stored as the SHA-256 of its key: the key itself is shown
    once, in the answer to ``POST auth/token``, and kept nowhere (org.auth).
    A key is 40 random characters, so a plain hash is as hard to reverse as the
    key is to guess."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("prefix"), max_length=8, help_text=_("The key's first characters, to tell tokens apart."))
    created = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.prefix}…"
