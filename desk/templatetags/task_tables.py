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
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from flows.models import task_is_overdue
from flows.templatetags.case_labels import grade_label, kind_label, time_left_words
from org.deadlines import is_overdue

register = template.Library()

_ROW = ('\n    <tr class="{}">\n      {}\n      <td class="case"><a href="{}">{}</a><br><small>{}</small></td>\n'
        '      <td data-label="{}">{}</td>\n      <td data-label="{}"><strong>{}</strong></td>\n'
        '      <td data-label="{}">{}</td>\n      <td data-label="{}">{}</td>\n      <td data-label="{}">{}</td>\n'
        '      <td data-label="{}">{}</td>\n      <td data-label="{}" class="due">{}</td>\n      {}\n    </tr>\n  ')
_ID = 987654321987654321  # stands in for a task's id in its page's address, reversed once a table


class _Words:
    """What a table says the same in every row, and the words of each code, each found once."""

    def __init__(self):
        self.kind, self.step, self.grade = _("Kind"), _("Step"), _("Grade")
        self.enterprise, self.street, self.assignee, self.due = _("Enterprise"), _("Street"), _("Assignee"), _("Due")
        self.provisional_help = _("Counted Monday to Friday: the official holiday notice of that year is not loaded yet.")
        self.provisional, self.claim = _("Provisional"), _("Claim")
        self.barred = _("You submitted the rectification: another officer reviews it.")
        self.now = timezone.now()
        self._codes, self._left = {}, {}
        self._task_url = reverse("desk:task", args=[_ID]).split(str(_ID))

    def task_url(self, task_id: int) -> str:
        return f"{self._task_url[0]}{task_id}{self._task_url[1]}"

    def of(self, words, code):
        """``code|words`` (None stays None, as the template's ``default`` sees it)."""
        key = (words, code)
        if key not in self._codes:
            found = words(code)
            self._codes[key] = str(found) if found is not None else None
        return self._codes[key]

    def title(self, node) -> str:
        key = ("step", node)
        if key not in self._codes:
            self._codes[key] = str(node.task_title) if node is not None else ""
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


def _row(task: dict, words: _Words, barred, claim: str, bulk: str) -> SafeString:
    task_id, overdue = task["id"], task_is_overdue(status=task["status"], paused_at=task["paused_at"],
                                                   due_at=task["due_at"], now=words.now)
    is_barred = task_id in barred
    pick = ""
    if bulk:
        choose = "" if is_barred else format_html(
            '<input type="checkbox" name="tasks" value="{}" id="pick-{}" form="{}" aria-label="{}">',
            task_id, task_id, bulk, _("Choose %(number)s") % {"number": task["case_number"]})
        pick = format_html('<td class="pick">{}</td>', choose)
    grade = task["case_grade"]
    grade = (format_html('<span class="badge red">{}</span>', words.of(grade_label, grade)) if grade == "major"
             else words.of(grade_label, grade) or "—")
    left = words.time_left(task["due_at"], task["paused_at"] is not None)
    due = format_html("{}<small>{}</small>{}",
                      format_html('<strong class="{}">{}</strong><br>', "late overdue-mark" if overdue else "", left)
                      if left else "",
                      _minute(task["due_at"]),
                      format_html(' <span class="badge provisional" title="{}">{}</span>', words.provisional_help,
                                  words.provisional) if task["due_provisional"] else "")
    act = ""
    if claim:
        act = format_html('<td class="act">{}</td>', format_html('<small class="help">{}</small>', words.barred)
                          if is_barred else format_html('<button class="primary" name="claim" value="{}" form="{}">{}</button>',
                                                        task_id, claim, words.claim))
    return format_html(
        _ROW, "overdue" if overdue else "", pick, words.task_url(task_id), task["case_number"], task["case_title"],
        words.kind, words.of(kind_label, task["case_kind"]), words.step, words.title(task["flow_task"]),
        words.grade, grade, words.enterprise, task["enterprise_name"] or "—", words.street, task["street_name"],
        words.assignee, task["owner_name"] or task["owner_username"] or "—", words.due, due, act)


@register.simple_tag
def task_table_rows(tasks, barred=(), claim: str = "", bulk: str = "") -> SafeString:
    """The ``<tr>`` of each task (dicts of ``TABLE_COLUMNS``); ``barred``: the ids the four-eyes
    rule bars the user from; ``claim``, ``bulk``: the form the Claim buttons and the check boxes post with."""
    words = _Words()
    return mark_safe("".join(_row(task, words, barred or (), claim, bulk) for task in tasks))
