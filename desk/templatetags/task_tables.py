"""The rows of the desk's task tables (templates/desk/_task_rows.html), drawn
by one function: the inbox shows up to 70 rows, and Django's template engine
spent about 33 node renders a row on them (docs/performance.md, 2026-12-04).

A row is a dict of ``flows.selectors.TABLE_COLUMNS``. What the row shows is
what the template showed, byte for byte (tests/test_desk_task_tables.py keeps
the template it replaces and compares): every value from the database goes
through ``format_html``'s escaping; the words of the table (column labels,
buttons) are translated once a table, the kind's, grade's and step's words
once per code, and the time left once per due day."""
import datetime as dt

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from flows.models import task_is_overdue
from flows.templatetags.case_labels import grade_label, kind_label, time_left_words
from org.deadlines import is_overdue

register = template.Library()

_ROW = ('\n    <tr class="{}">\n      {}\n      <td class="case"><a href="{}">{}</a><br><small>{}</small></td>\n'
        '      <td data-label="$kind">{}</td>\n      <td data-label="$step"><strong>{}</strong></td>\n'
        '      <td data-label="$grade">{}</td>\n      <td data-label="$enterprise">{}</td>\n'
        '      <td data-label="$street">{}</td>\n      <td data-label="$assignee">{}</td>\n'
        '      <td data-label="$due" class="due">{}<small>{}</small>{}</td>\n      {}\n    </tr>\n  ')
_PICK = '<td class="pick"><input type="checkbox" name="tasks" value="{0}" id="pick-{0}" form="$form" aria-label="{1}"></td>'
_CLAIM = '<td class="act"><button class="primary" name="claim" value="{}" form="$form">$claim</button></td>'
_ID = 987654321987654321  # stands in for a task's id in its page's address, reversed once a table


def _baked(template: str, **words) -> str:
    """``template`` with each ``$name`` replaced by its word, escaped: a format string for what varies by row."""
    for name, word in words.items():
        template = template.replace(f"${name}", conditional_escape(word).replace("{", "{{").replace("}", "}}"))
    return template


class _Table:
    """What a table says the same in every row, escaped once, and the words of each code, found once."""

    def __init__(self, claim: str, bulk: str):
        self.row = _baked(_ROW, kind=_("Kind"), step=_("Step"), grade=_("Grade"), enterprise=_("Enterprise"),
                          street=_("Street"), assignee=_("Assignee"), due=_("Due"))
        self.pick = _baked(_PICK, form=bulk) if bulk else ""
        self.claim = _baked(_CLAIM, form=claim, claim=_("Claim")) if claim else ""
        self.barred = format_html('<td class="act"><small class="help">{}</small></td>',
                                  _("You submitted the rectification: another officer reviews it."))
        self.provisional = format_html(
            ' <span class="badge provisional" title="{}">{}</span>',
            _("Counted Monday to Friday: the official holiday notice of that year is not loaded yet."), _("Provisional"))
        self.now = timezone.now()
        self._codes, self._left = {}, {}
        self._task_url = reverse("desk:task", args=[_ID]).split(str(_ID))

    def task_url(self, task_id: int) -> str:
        return f"{self._task_url[0]}{task_id}{self._task_url[1]}"

    def of(self, words, code):
        """``code|words``, escaped (None stays None, as the template's ``default`` sees it)."""
        key = (words, code)
        if key not in self._codes:
            found = words(code)
            self._codes[key] = conditional_escape(str(found)) if found is not None else None
        return self._codes[key]

    def title(self, node) -> str:
        key = ("step", node)
        if key not in self._codes:
            self._codes[key] = conditional_escape(str(node.task_title) if node is not None else "")
        return self._codes[key]

    def time_left(self, due_at: dt.datetime | None, paused: bool) -> str:
        if paused or due_at is None:
            return time_left_words(due_at, paused=paused, now=self.now)
        # the words depend on the due day and whether the due time has passed (org.deadlines.time_left)
        key = (timezone.localdate(due_at), is_overdue(due_at, now=self.now))
        if key not in self._left:
            self._left[key] = time_left_words(due_at, now=self.now)
        return self._left[key]


def _minute(value: dt.datetime | None) -> str:
    """``value|date:"Y-m-d H:i"`` in the current time zone, "—" when there is none."""
    if value is None:
        return "—"
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{local.year:04d}-{local.month:02d}-{local.day:02d} {local.hour:02d}:{local.minute:02d}"


def _row(task: dict, table: _Table, barred) -> SafeString:
    task_id, overdue = task["id"], task_is_overdue(status=task["status"], paused_at=task["paused_at"],
                                                   due_at=task["due_at"], now=table.now)
    is_barred = task_id in barred
    pick = act = ""
    if table.pick:
        pick = (mark_safe('<td class="pick"></td>') if is_barred else
                format_html(table.pick, task_id, _("Choose %(number)s") % {"number": task["case_number"]}))
    if table.claim:
        act = table.barred if is_barred else format_html(table.claim, task_id)
    grade = task["case_grade"]
    grade = (format_html('<span class="badge red">{}</span>', table.of(grade_label, grade)) if grade == "major"
             else table.of(grade_label, grade) or "—")
    left = table.time_left(task["due_at"], task["paused_at"] is not None)
    left = format_html('<strong class="{}">{}</strong><br>', "late overdue-mark" if overdue else "", left) if left else ""
    return format_html(
        table.row, "overdue" if overdue else "", pick, table.task_url(task_id), task["case_number"], task["case_title"],
        table.of(kind_label, task["case_kind"]), table.title(task["flow_task"]), grade, task["enterprise_name"] or "—",
        task["street_name"], task["owner_name"] or task["owner_username"] or "—", left, _minute(task["due_at"]),
        table.provisional if task["due_provisional"] else "", act)


@register.simple_tag
def task_table_rows(tasks, barred=(), claim: str = "", bulk: str = "") -> SafeString:
    """The ``<tr>`` of each task (dicts of ``TABLE_COLUMNS``); ``barred``: the ids the four-eyes
    rule bars the user from; ``claim``, ``bulk``: the form the Claim buttons and the check boxes post with."""
    table = _Table(claim, bulk)
    return mark_safe("".join(_row(task, table, barred or ()) for task in tasks))
