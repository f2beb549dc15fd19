"""Writes to agencies and users, and the notification outbox."""
import datetime as dt
import logging

from django.core.mail import send_mail
from django.db import models, transaction
from django.utils import timezone

from .models import Agency, Notification, User

logger = logging.getLogger(__name__)

DEMO_PASSWORD = "nankai-demo"

# code, name, English name, kind (DESIGN.md section 1)
AGENCIES = [
    ("emergency", "区应急局", "Emergency Management Bureau", Agency.Kind.BUREAU),
    ("police", "公安南开分局", "Public Security Nankai Branch", Agency.Kind.POLICE),
    ("ecology", "区生态环境局", "Ecology and Environment Bureau", Agency.Kind.BUREAU),
    ("traffic", "交警南开支队", "Traffic Police Nankai Detachment", Agency.Kind.POLICE),
    ("education", "区教育局", "Education Bureau", Agency.Kind.BUREAU),
    ("science", "区科技局", "Science and Technology Bureau", Agency.Kind.BUREAU),
    ("safety_office", "区安委会办公室", "Work-Safety Committee Office", Agency.Kind.SAFETY_OFFICE),
]
STREETS = [
    ("changhong", "长虹街道", "Changhong"),
    ("gulou", "鼓楼街道", "Gulou"),
    ("xingnan", "兴南街道", "Xingnan"),
    ("guangkai", "广开街道", "Guangkai"),
    ("wanxing", "万兴街道", "Wanxing"),
    ("xuefu", "学府街道", "Xuefu"),
    ("xiangyanglu", "向阳路街道", "Xiangyanglu"),
    ("jialingdao", "嘉陵道街道", "Jialingdao"),
    ("wangdingdi", "王顶堤街道", "Wangdingdi"),
    ("shuishanggongyuan", "水上公园街道", "Shuishanggongyuan"),
    ("tiyuzhongxin", "体育中心街道", "Tiyuzhongxin"),
    ("huayuan", "华苑街道", "Huayuan"),
]


@transaction.atomic
def seed_agencies() -> int:
    rows = list(AGENCIES) + [
        (f"street_{code}", name, f"{name_en} Sub-district Office", Agency.Kind.STREET) for code, name, name_en in STREETS
    ]
    for code, name, name_en, kind in rows:
        Agency.objects.update_or_create(code=code, defaults={"name": name, "name_en": name_en, "kind": kind})
    return len(rows)


@transaction.atomic
def seed_demo_users(*, password: str) -> int:
    """``X_officer1``, ``X_officer2`` and ``X_leader`` for every agency code X."""
    created = 0
    for agency in Agency.objects.all():
        for suffix, role in (("officer1", User.Role.OFFICER), ("officer2", User.Role.OFFICER), ("leader", User.Role.LEADER)):
            if agency.kind == Agency.Kind.SAFETY_OFFICE and role == User.Role.OFFICER:
                role = User.Role.SUPERVISOR
            username = f"{agency.code}_{suffix}"
            if User.objects.filter(username=username).exists():
                continue
            user = User(
                username=username, agency=agency, role=role, is_demo=True,
                full_name=f"{agency.name}{'负责人' if suffix == 'leader' else '执法人员' + suffix[-1]}",
            )
            user.set_password(password)
            user.save()
            created += 1
    return created


# --- notifications (the outbox) --------------------------------------------
def notify(*, recipients, subject: str, body: str = "", link: str = "", case_id: int | None = None,
           level: int = 0) -> list[Notification]:
    """Write notifications in the caller's transaction; deliver after commit.

    A broker outage delays delivery and loses nothing: the rows stay pending
    and the periodic sweep delivers them once the broker is back.
    """
    rows = Notification.objects.bulk_create(
        [
            Notification(recipient=user, subject=subject[:200], body=body, link=link, case_id=case_id, level=level,
                         next_attempt_at=timezone.now())
            for user in {user.pk: user for user in recipients}.values()
        ]
    )
    if rows:
        transaction.on_commit(schedule_delivery)
    return rows


def schedule_delivery() -> None:
    from .tasks import deliver_notifications

    try:
        deliver_notifications.apply_async(retry=False)
    except Exception as error:  # noqa: BLE001 - any broker failure: the sweep delivers later
        logger.warning("notification delivery not queued (%s); the periodic sweep will deliver", type(error).__name__)


def deliver_pending(*, now=None, batch: int = 200) -> int:
    """E-mail the pending notifications; a failure is retried with backoff."""
    now = now or timezone.now()
    delivered = 0
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(delivered_at__isnull=True, next_attempt_at__lte=now)
            .select_related("recipient")
            .order_by("next_attempt_at")[:batch]
        )
        for note in pending:
            try:
                if note.recipient.email:
                    send_mail(note.subject, f"{note.body}\n\n{note.link}".strip(), None, [note.recipient.email])
            except Exception as error:  # noqa: BLE001 - the mail server's failure is recorded, not raised
                note.attempts += 1
                note.last_error = type(error).__name__[:200]
                note.next_attempt_at = now + dt.timedelta(minutes=min(2 ** note.attempts, 240))
                note.save(update_fields=["attempts", "last_error", "next_attempt_at"])
                continue
            note.delivered_at = now
            note.attempts += 1
            note.save(update_fields=["delivered_at", "attempts"])
            delivered += 1
    return delivered


def users_of(agency_id: int, *, leaders_only: bool = False):
    users = User.objects.filter(agency_id=agency_id, is_active=True)
    return users.filter(role=User.Role.LEADER) if leaders_only else users


def supervisors():
    return User.objects.filter(is_active=True).filter(
        models.Q(role=User.Role.SUPERVISOR) | models.Q(agency__kind=Agency.Kind.SAFETY_OFFICE)
    )
