"""Domain exceptions, raised by services and turned into the API error format
(``{"error": {"code", "message", "fields"}}``) or a form message at the edge."""
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    status = 400
    code = "error"
    default_message = _("The request was refused.")

    def __init__(self, message=None, *, fields: dict | None = None, code: str | None = None):
        self.message = message or self.default_message
        self.fields = fields or {}
        if code:
            self.code = code
        super().__init__(str(self.message))

    def text(self) -> str:
        """One line for a page message: the field errors, or the message."""
        parts = [str(m) for messages in self.fields.values() for m in messages]
        return "; ".join(parts) or str(self.message)


class InvalidInput(DomainError):
    """400: the input is wrong; ``fields`` names each wrong field."""

    status = 400
    code = "invalid"
    default_message = _("Some fields are invalid.")


class NotPermitted(DomainError):
    """403: the user sees the record but may not act on it."""

    status = 403
    code = "forbidden"
    default_message = _("You may not do this.")


class NotYourTask(NotPermitted):
    code = "not_your_task"
    default_message = _("This task belongs to another agency or role.")


class NotFound(DomainError):
    """404: absent, or not visible to the user (never 403, so nothing leaks)."""

    status = 404
    code = "not_found"
    default_message = _("Not found.")


class Conflict(DomainError):
    """409: the task was done, is held by someone else, or the case moved on."""

    status = 409
    code = "conflict"
    default_message = _("The record was changed by someone else.")


class TaskAlreadyDone(Conflict):
    code = "task_done"
    default_message = _("This task has already been completed.")


class TaskHeldByOther(Conflict):
    code = "task_held"
    default_message = _("Another officer holds this task.")


class InvalidTransition(Conflict):
    code = "invalid_transition"
    default_message = _("The case is not in a state that allows this.")


class TooLarge(DomainError):
    """413: the upload is larger than the limit."""

    status = 413
    code = "too_large"
    default_message = _("The file is too large.")


class LockedOut(DomainError):
    """429: too many failed logins; the account and the address wait a while."""

    status = 429
    code = "locked_out"
    default_message = _("Too many failed logins; the account is locked for a while.")


class Unauthenticated(DomainError):
    """401: no valid credentials or signature."""

    status = 401
    code = "unauthenticated"
    default_message = _("Log in or send a valid token.")


class IntegrityFailure(DomainError):
    """500: a stored record no longer matches its checksum."""

    status = 500
    code = "integrity_error"
    default_message = _("The stored file does not match its checksum; it has been reported.")
