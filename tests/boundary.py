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


# Every table a request of the product can write (not sessions, logins or the admin's log).
WRITABLE_APPS = ("org", "cases", "enforcement", "flows", "register", "supervision", "planning", "desk", "viewflow",
                 "authtoken")
# Columns an authenticated request writes whatever it does.
NOT_STATE = {("org", "user"): {"last_login"}}


def database_state() -> dict:
    """Every row of every writable table, column by column: two states are equal
    only if no row was added, removed or changed (used where an action may change
    a row without adding one: a claim, a status, a preference)."""
    from django.apps import apps

    state = {}
    for model in apps.get_models():
        meta = model._meta
        if meta.app_label not in WRITABLE_APPS or meta.proxy:
            continue
        skip = NOT_STATE.get((meta.app_label, meta.model_name), set())
        columns = [field.attname for field in meta.concrete_fields if field.attname not in skip]
        state[meta.label] = list(model._base_manager.order_by("pk").values_list(*columns))
    state["files"] = media_files()
    return state


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(name for name in before if before[name] != after.get(name))


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
