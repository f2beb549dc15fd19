"""What a refused request must leave as it was: the rows of every kind a
request can write, and the files under MEDIA_ROOT. Used by the input and
fuzz tests: ``before = snapshot(); ...; assert snapshot() == before``."""
import json
import os

from django.conf import settings
from rest_framework.test import APIClient
from viewflow.workflow.models import Task

from cases.models import Alarm, Case, CaseHistory, Comment, Enterprise, Evidence
from org.models import Notification
from planning.models import ProgressReport, ReportAttachment, ReportEntry
from register.models import ImportJob, Installation, Licence, Product
from supervision.models import Warning


def media_files() -> list[str]:
    root = str(settings.MEDIA_ROOT)
    return sorted(os.path.join(path, name) for path, _dirs, names in os.walk(root) for name in names)


def snapshot() -> dict:
    counts = {model.__name__: model.objects.count() for model in (
        Case, CaseHistory, Task, Evidence, Comment, Notification, Alarm, ProgressReport, ReportEntry,
        ReportAttachment, Warning, Enterprise, Product, Licence, Installation, ImportJob)}
    counts["register"] = list(Enterprise.objects.order_by("pk").values_list("uscc", "name", "risk", "updated_at"))
    counts["files"] = media_files()
    return counts


def raw_json(user, path: str, body, method: str = "post"):
    """Send ``body`` (a str is sent as it is, anything else as JSON with
    escapes, so lone surrogates travel as ``\\ud800``) as ``user``."""
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    text = body if isinstance(body, str | bytes) else json.dumps(body)
    return getattr(client, method)(f"/api/v1/{path}", text, content_type="application/json")


def is_error_format(response, status: int) -> bool:
    """The answer is ``status`` in the error format {"error": {"code", "message", "fields"}}."""
    if response.status_code != status or not response["Content-Type"].startswith("application/json"):
        return False
    body = response.json()
    return set(body) == {"error"} and {"code", "message", "fields"} <= set(body["error"])
