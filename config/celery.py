"""Celery application. Without CELERY_BROKER_URL tasks run eagerly in-process.

The worker and beat log through Django's LOGGING (JSON lines, common.logs),
not a configuration of Celery's own, and a task logs under the id of the
request that sent it: the id travels in the message's ``nankai_request_id``
header.
"""
import logging.config
import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("nankai")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

REQUEST_ID_HEADER = "nankai_request_id"


@signals.setup_logging.connect
def use_django_logging(**kwargs):
    """Connected, so Celery leaves logging alone: Django's LOGGING applies as it is."""
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


@signals.before_task_publish.connect
def send_request_id(headers=None, **kwargs):
    from common.logs import request_id_var

    request_id = request_id_var.get()
    if request_id and headers is not None and not headers.get(REQUEST_ID_HEADER):
        headers[REQUEST_ID_HEADER] = request_id


_tokens: dict = {}


@signals.task_prerun.connect
def receive_request_id(task_id=None, task=None, **kwargs):
    from common.logs import new_request_id, request_id_var, sane_request_id

    sent = sane_request_id(getattr(task.request, REQUEST_ID_HEADER, None)) if task is not None else None
    if sent is None and task is not None and task.request.is_eager and request_id_var.get():
        return  # run in-process during the request: its id already applies
    _tokens[task_id] = request_id_var.set(sent or f"task-{task_id or new_request_id()}")


@signals.task_postrun.connect
def forget_request_id(task_id=None, **kwargs):
    from common.logs import request_id_var

    token = _tokens.pop(task_id, None)
    if token is not None:
        try:
            request_id_var.reset(token)
        except ValueError:  # set in another context (a thread pool): leave it
            request_id_var.set(None)


HEARTBEAT_KEY = "nankai:heartbeat"
HEARTBEAT_EVERY = 60.0


@app.task(name="config.heartbeat", ignore_result=True)
def heartbeat():
    """Sent by beat every minute, run by a worker: its time in the shared cache
    says both are alive (config.health, /readyz's "background")."""
    import time

    from django.core.cache import cache

    cache.set(HEARTBEAT_KEY, time.time(), timeout=None)
