"""Group robots (钉钉/政务微信群机器人): the agency's group hears of new work.

Both platforms take ``{"msgtype": "text", "text": {"content": …}}`` by POST and
answer ``{"errcode": 0}`` when they accept it. DingTalk's 加签 signs the call:
``sign = base64(HMAC-SHA256(secret, f"{timestamp}\\n{secret}"))`` with the
timestamp in milliseconds, both added to the address. Messages wait in the
robots' outbox (``RobotMessage``) and are posted after commit by the same task
that e-mails notifications; a failure is retried with backoff. Addresses and
secrets are never logged: a failure records its kind only.
"""
import base64
import datetime as dt
import hashlib
import hmac
import json
import logging
import urllib.parse
import urllib.request

from django.db import transaction
from django.utils import timezone

from .models import GroupRobot, RobotMessage
from .outbox import schedule_delivery

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 5


def robot_messages(*, agency_ids, text: str) -> list[RobotMessage]:
    """Queue ``text`` for every active robot of the agencies (the caller's transaction)."""
    now = timezone.now()
    rows = [RobotMessage(robot=robot, text=text[:4000], next_attempt_at=now)
            for robot in GroupRobot.objects.filter(agency_id__in=list(agency_ids), active=True)]
    rows = RobotMessage.objects.bulk_create(rows)
    if rows:
        transaction.on_commit(schedule_delivery)
    return rows


def signed_address(robot: GroupRobot, *, at: dt.datetime) -> str:
    """The address to post to; DingTalk's signed with the robot's secret."""
    if robot.platform != GroupRobot.Platform.DINGTALK or not robot.secret:
        return robot.url
    timestamp = str(int(at.timestamp() * 1000))
    digest = hmac.new(robot.secret.encode(), f"{timestamp}\n{robot.secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    joiner = "&" if "?" in robot.url else "?"
    return f"{robot.url}{joiner}timestamp={timestamp}&sign={sign}"


class RobotRefused(Exception):
    """The platform answered, but not with errcode 0."""


def post(robot: GroupRobot, text: str, *, at: dt.datetime) -> None:
    body = json.dumps({"msgtype": "text", "text": {"content": text}}, ensure_ascii=False).encode()
    request = urllib.request.Request(signed_address(robot, at=at), data=body, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - http(s) only (URLField)
        answer = json.loads(response.read(65536) or b"{}")
    if answer.get("errcode", 0) != 0:
        raise RobotRefused(str(answer.get("errcode")))


def deliver_robot_messages(*, now=None, batch: int = 100) -> int:
    """Post the pending robot messages; a failure is retried with backoff."""
    now = now or timezone.now()
    delivered = 0
    with transaction.atomic():
        pending = list(
            RobotMessage.objects.select_for_update(skip_locked=True)
            .filter(delivered_at__isnull=True, next_attempt_at__lte=now, robot__active=True)
            .select_related("robot").order_by("next_attempt_at")[:batch]
        )
        for message in pending:
            try:
                post(message.robot, message.text, at=now)
            except Exception as error:  # noqa: BLE001 - the platform's failure is recorded, not raised
                message.failed(error, now=now)
                logger.warning("robot message %s not delivered (%s)", message.pk, message.last_error)
                continue
            message.delivered(now=now)
            delivered += 1
    return delivered
