"""What every input boundary refuses, written once.

Text from outside (JSON bodies, form fields, query strings, file names, the
alarm intake) may hold characters no record should: NUL and the other C0
control characters (PostgreSQL refuses NUL in text, and the workbook's XML
cannot hold the rest) and lone UTF-16 surrogates (``"\\ud800"`` in JSON,
which no database or response can encode). Ids are ASCII digits only
(``str.isdigit`` and ``int`` also accept ``²``, ``①`` or ``٣``).

- ``text_problem`` / ``check_text``: one string.
- ``json_problem`` / ``loads_checked``: a whole JSON document, its depth bounded.
- ``CheckedJSONParser``: the API's JSON parser: size, depth and text checked
  before any view sees the body.
- ``InputFormMixin``: every field of a form refuses a raw value of the wrong
  JSON type (a list or an object for a text, a number for a date) and bad text,
  beside the field, before the field's own cleaning runs.
- ``parse_id``: an id in a path, a query or a body; ``parse_day``: a date.
"""
import datetime as dt
import json
import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.parsers import JSONParser

from .exceptions import InvalidInput, TooLarge

# C0 controls but tab, line feed and carriage return; lone surrogates.
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
# A longer free text is not a note but something else (a paste of a file, an attack).
TEXT_MAX_CHARS = 10_000
JSON_MAX_DEPTH = 32
ID_PATTERN = re.compile(r"[0-9]{1,18}")  # a bigint's 19th digit can overflow it

CONTROL_MESSAGE = gettext_lazy("Contains a control character (such as NUL) that is not allowed.")
SURROGATE_MESSAGE = gettext_lazy("Contains an invalid character (a lone surrogate).")


def text_problem(value: str) -> str | None:
    """Why ``value`` may not be stored, or None."""
    found = _FORBIDDEN.search(value)
    if found is None:
        return None
    return str(SURROGATE_MESSAGE if "\ud800" <= found.group() <= "\udfff" else CONTROL_MESSAGE)


def check_text(value, *, field: str, required: bool = False, max_length: int = TEXT_MAX_CHARS) -> str:
    """``value`` stripped, or ``InvalidInput`` naming ``field``: for services
    that take free text directly (comments, pause reasons, review comments)."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(fields={field: [_("Must be text.")]})
    problem = text_problem(value)
    if problem:
        raise InvalidInput(fields={field: [problem]})
    value = value.strip()
    if required and not value:
        raise InvalidInput(fields={field: [_("This field is required.")]})
    if len(value) > max_length:
        raise InvalidInput(fields={field: [_("At most %(n)d characters.") % {"n": max_length}]})
    return value


def clean_name(value: str, limit: int = 200) -> str:
    """A file name as we keep it: without forbidden characters, at most ``limit`` long."""
    return _FORBIDDEN.sub("", value or "")[-limit:]


# --- JSON ---------------------------------------------------------------------
def json_problem(document, max_depth: int = JSON_MAX_DEPTH) -> tuple[str, str] | None:
    """(the top-level field, why) for the first bad string, key or nesting in
    ``document``, or None. Iterative: a deep document cannot exhaust the stack."""
    stack = [(document, 0, None)]
    while stack:
        value, depth, top = stack.pop()
        if depth > max_depth:
            return top or "non_field_errors", str(_("Nested too deeply."))
        if isinstance(value, str):
            problem = text_problem(value)
            if problem:
                return top or "non_field_errors", problem
        elif isinstance(value, dict):
            for key, item in value.items():
                name = top if top is not None else key
                problem = text_problem(key)
                if problem:
                    return (name if text_problem(name) is None else "non_field_errors"), problem
                stack.append((item, depth + 1, name))
        elif isinstance(value, list):
            stack.extend((item, depth + 1, top) for item in value)
    return None


def _no_constants(name):
    raise ValueError(f"{name} is not JSON")


def loads_checked(raw: bytes | str):
    """The JSON document in ``raw``, or ``InvalidInput``: not JSON, NaN or
    Infinity, nested too deeply, or a string with a forbidden character."""
    try:
        document = json.loads(raw, parse_constant=_no_constants)
    except RecursionError:
        raise InvalidInput(_("The body is nested too deeply."), code="too_deep")
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput(_("The body must be JSON."), code="parse_error")
    found = json_problem(document)
    if found:
        raise InvalidInput(fields={found[0]: [found[1]]})
    return document


def read_limited(stream, content_length: int | None) -> bytes:
    """The body, refused with 413 beyond ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (read
    at most one byte past the limit, whatever Content-Length says)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is not None and content_length and content_length > limit:
        raise TooLarge(_("The request body is too large."))
    raw = stream.read(limit + 1) if limit is not None else stream.read()
    if limit is not None and len(raw) > limit:
        raise TooLarge(_("The request body is too large."))
    return raw


class CheckedJSONParser(JSONParser):
    """DRF's JSON parser with the checks above; its errors are domain errors,
    so they reach the client in the error format."""

    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        length = None
        if request is not None:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = None
        return loads_checked(read_limited(stream, length))


# --- forms ----------------------------------------------------------------------
def _is_multiple(field) -> bool:
    return isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField) or getattr(
        field.widget, "allow_multiple_selected", False)


def raw_value_problem(field, value) -> str | None:
    """Why the raw ``value`` cannot be given to ``field`` at all, or None."""
    if value is None or isinstance(field, forms.FileField):
        return None
    if _is_multiple(field):
        if isinstance(value, str):
            items = [value]
        elif isinstance(value, list | tuple):
            items = value
        else:
            return str(_("Must be a list."))
        for item in items:
            if isinstance(item, bool) or not isinstance(item, str | int):
                return str(_("Each item must be text or a number."))
            if isinstance(item, str) and text_problem(item):
                return text_problem(item)
        return None
    if isinstance(value, bool):
        return None if isinstance(field, forms.BooleanField) else str(_("Must be text."))
    if isinstance(value, int | float):
        numeric = isinstance(field, forms.IntegerField | forms.FloatField | forms.DecimalField | forms.BooleanField)
        numeric = numeric or (isinstance(field, forms.TypedChoiceField) and field.coerce in (int, float))
        numeric = numeric or (isinstance(field, forms.ModelChoiceField) and isinstance(value, int))  # an id
        return None if numeric else str(_("Must be text."))
    if not isinstance(value, str):
        return str(_("Must be text."))
    problem = text_problem(value)
    if problem:
        return problem
    if isinstance(field, forms.CharField) and field.max_length is None and len(value) > TEXT_MAX_CHARS:
        return str(_("At most %(n)d characters.") % {"n": TEXT_MAX_CHARS})
    return None


def _guarded(field, clean):
    def guarded_clean(value):
        problem = raw_value_problem(field, value)
        if problem:
            raise forms.ValidationError(problem, code="bad_input")
        return clean(value)

    return guarded_clean


class InputFormMixin:
    """Every field of the form refuses a raw value of the wrong type and text
    with forbidden characters, as a field error (the API's ``fields``, the
    page's message beside the field), before the field's own ``clean``
    (which would store a list as its repr, or fail on a number)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # the form's own copies of its fields
            field.clean = _guarded(field, field.clean)


# --- ids --------------------------------------------------------------------------
def parse_day(value, *, field: str) -> dt.date:
    """A date given as ``YYYY-MM-DD`` (or already a date), or ``InvalidInput`` naming the field."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and value.isascii():
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidInput(fields={field: [_("Give a date as YYYY-MM-DD.")]})


def parse_id(value) -> int | None:
    """An id given as ASCII digits (or a JSON integer), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value < 10**18 else None
    if isinstance(value, str) and ID_PATTERN.fullmatch(value):
        return int(value)
    return None


class IdConverter:
    """``<id:case_id>`` in a URL: ASCII digits only, within a bigint."""

    regex = ID_PATTERN.pattern

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))
