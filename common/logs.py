"""Structured logs: one JSON object a line, each with the request id it belongs to.

``RequestIdMiddleware`` gives every request an id (the proxy's ``X-Request-ID``
when it sends a sane one, else a new one), keeps it in a context variable for
the request's duration and answers it in the ``X-Request-ID`` header.
``RequestIdFilter`` puts it on every record; a Celery task sent during the
request carries it in a message header and its worker logs under the same id
(config.celery). ``JsonFormatter`` writes the record as one line of JSON, with
anything that looks like a secret (a token, a password, a signature, a group
robot's webhook key) replaced by ``[redacted]``.
"""
import contextvars
import datetime as dt
import json
import logging
import re
import uuid

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)

HEADER = "X-Request-ID"
_SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
REDACTED = "[redacted]"

# What a secret looks like in a message, a URL or an exception's text.
_SECRET_PATTERNS = [
    # Authorization: Token abc / Bearer abc
    (re.compile(r"(?i)\b(token|bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}"), r"\1 " + REDACTED),
    # key=value pairs in query strings, forms and reprs: access_token=..., password: '...', sign=...
    (re.compile(r"(?i)((?:access_token|token|password|passwd|secret|sign|signature|key|api_key|sessionid|csrftoken)"
                r"[\"']?\s*[=:]\s*[\"']?)[^\s&\"',;)}]+"), r"\1" + REDACTED),
    # a robot's webhook: the whole URL says who may post to the group
    (re.compile(r"(?i)https?://(?:oapi\.dingtalk\.com|qyapi\.weixin\.qq\.com)/\S*"), "https://" + REDACTED),
    # user:password@ in a URL (DATABASE_URL, CELERY_BROKER_URL)
    (re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://[^/\s:@]*:)[^@\s/]+@"), r"\1" + REDACTED + "@"),
    # X-Signature: sha256=<hex>
    (re.compile(r"(?i)(sha256=)[0-9a-f]{16,}"), r"\1" + REDACTED),
]
_SECRET_FIELDS = re.compile(r"(?i)(password|passwd|secret|token|signature|authorization|cookie|webhook|key)")


def redact(text: str) -> str:
    """``text`` with every secret it seems to hold replaced by ``[redacted]``."""
    for pattern, replacement in _SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def new_request_id() -> str:
    return uuid.uuid4().hex


def sane_request_id(value: str | None) -> str | None:
    """The proxy's id when it is short and plain, else None (never log what a client made up at length)."""
    if value and _SANE_ID.match(value):
        return value
    return None


class RequestIdMiddleware:
    """Every request gets an id, on its log records and in its response's ``X-Request-ID``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = sane_request_id(request.headers.get(HEADER)) or new_request_id()
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Puts the current request id (or the task's, in a worker) on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            # django.request logs an error response after the middleware has returned, with the request
            record.request_id = getattr(getattr(record, "request", None), "request_id", None) or request_id_var.get()
        return True


# Attributes every LogRecord has; anything else on a record came from ``extra=``.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "request_id"}


class JsonFormatter(logging.Formatter):
    """One line of JSON a record: time, level, logger, message, request id, the extras, the exception."""

    def format(self, record: logging.LogRecord) -> str:
        event = {
            "time": dt.datetime.fromtimestamp(record.created, dt.timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(_message(record)),
            "request_id": getattr(record, "request_id", None) or request_id_var.get(),
        }
        if record.name == "gunicorn.access":  # deploy/gunicorn.conf.py: the request's fields as JSON
            try:
                fields = json.loads(event["message"])
                event.update({k: v for k, v in fields.items() if k not in ("time", "level", "logger")})
                event["message"] = f'{fields.get("method")} {fields.get("path")} {fields.get("status")}'
                event["request_id"] = fields.get("request_id") or event["request_id"]
            except (ValueError, AttributeError):
                pass
        for name, value in vars(record).items():
            if name in _STANDARD or name.startswith("_") or name in event:
                continue
            if _SECRET_FIELDS.search(name):
                event[name] = REDACTED
            elif isinstance(value, (int, float, bool)) or value is None:
                event[name] = value
            else:
                event[name] = redact(_text(value))
        if record.exc_info:
            event["exception"] = redact(self.formatException(record.exc_info))
        if record.stack_info:
            event["stack"] = redact(self.formatStack(record.stack_info))
        return json.dumps(event, ensure_ascii=False)


def _message(record: logging.LogRecord) -> str:
    try:
        return record.getMessage()
    except Exception:  # noqa: BLE001 - a bad format string must not lose the event
        return f"{record.msg!r} {record.args!r}"


def _text(value) -> str:
    if isinstance(value, str):
        return value
    try:
        return str(value)
    except Exception:  # noqa: BLE001
        return repr(value)
