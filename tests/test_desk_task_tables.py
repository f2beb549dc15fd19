"""The desk's task tables are drawn by one function (``desk.templatetags.task_tables``)
instead of a template loop: for a realistic queue and inbox (claimed, overdue by days and
today, due today and later, paused, provisional, with no due time, major, without an
enterprise, barred by the four-eyes rule, text that must be escaped), in both languages,
the rows are byte for byte those of the template they replace, kept here as it was."""
import datetime as dt

import pytest
from django.template import engines
from django.template.loader import render_to_string
from django.utils import timezone, translation

from cases.models import Case
from flows.models import CaseTask
from flows.rules import barred_from
from flows.selectors import TABLE_JOINED, TableRows, table_values, tasks_in_box

from .conftest import Api
from .factories import make_uscc
from .scenarios import complete, register, rows_of, task_id

# templates/desk/_task_rows.html before 2026-12-04, over the model objects of the read below
TEMPLATE = """{% load i18n case_labels %}{% translate "Kind" as t_kind %}{% translate "Step" as t_step %}{% translate "Grade" as t_grade %}{% translate "Enterprise" as t_enterprise %}{% translate "Street" as t_street %}{% translate "Assignee" as t_assignee %}{% translate "Due" as t_due %}{% translate "Counted Monday to Friday: the official holiday notice of that year is not loaded yet." as t_provisional_help %}{% translate "Provisional" as t_provisional %}{% translate "Claim" as t_claim %}{% translate "You submitted the rectification: another officer reviews it." as t_barred %}
<table class="list tasks">
  <thead><tr>
    {% if bulk %}<th><span class="sr">{% translate "Choose" %}</span></th>{% endif %}
    <th>{% translate "Case" %}</th><th>{{ t_kind }}</th><th>{{ t_step }}</th><th>{{ t_grade }}</th>
    <th>{{ t_enterprise }}</th><th>{{ t_street }}</th>
    <th>{{ t_assignee }}</th><th>{{ t_due }}</th>{% if claim %}<th><span class="sr">{% translate "Claim" %}</span></th>{% endif %}
  </tr></thead>
  <tbody>
  {% for task in tasks %}
    <tr class="{% if task.is_overdue %}overdue{% endif %}">
      {% if bulk %}<td class="pick">{% if task.pk not in barred %}<input type="checkbox" name="tasks" value="{{ task.pk }}" id="pick-{{ task.pk }}" form="{{ bulk }}" aria-label="{% blocktranslate with number=task.case_number %}Choose {{ number }}{% endblocktranslate %}">{% endif %}</td>{% endif %}
      <td class="case"><a href="{% url 'desk:task' task.pk %}">{{ task.case_number }}</a><br><small>{{ task.case_title }}</small></td>
      <td data-label="{{ t_kind }}">{{ task.case_kind|kind_label }}</td>
      <td data-label="{{ t_step }}"><strong>{{ task|task_title }}</strong></td>
      <td data-label="{{ t_grade }}">{% if task.case_grade == "major" %}<span class="badge red">{{ task.case_grade|grade_label }}</span>{% else %}{{ task.case_grade|grade_label|default:"—" }}{% endif %}</td>
      <td data-label="{{ t_enterprise }}">{{ task.enterprise_name|default:"—" }}</td>
      <td data-label="{{ t_street }}">{{ task.street_name }}</td>
      <td data-label="{{ t_assignee }}">{% firstof task.owner_name task.owner_username "—" %}</td>
      <td data-label="{{ t_due }}" class="due">{% with left=task|time_left %}{% if left %}<strong class="{% if task.is_overdue %}late overdue-mark{% endif %}">{{ left }}</strong><br>{% endif %}{% endwith %}<small>{{ task.due_at|date:"Y-m-d H:i"|default:"—" }}</small>{% if task.due_provisional %} <span class="badge provisional" title="{{ t_provisional_help }}">{{ t_provisional }}</span>{% endif %}</td>
      {% if claim %}<td class="act">{% if task.pk in barred %}<small class="help">{{ t_barred }}</small>{% else %}<button class="primary" name="claim" value="{{ task.pk }}" form="{{ claim }}">{{ t_claim }}</button>{% endif %}</td>{% endif %}
    </tr>
  {% empty %}
    <tr><td colspan="10" class="empty">{{ empty_text|default:_("Nothing here.") }}</td></tr>
  {% endfor %}
  </tbody>
</table>
"""
FIELDS = ("id", "flow_task", "status", "process", "owner", "case", "due_at", "due_provisional", "paused_at")


def as_objects(rows: list[dict]) -> list[CaseTask]:
    """The same tasks as the template read them: one model object a row, the words annotated."""
    found = {task.pk: task for task in CaseTask.objects.filter(pk__in=[row["id"] for row in rows])
             .only(*FIELDS).annotate(**TABLE_JOINED)}
    return [found[row["id"]] for row in rows]


def set_task(case_id: int, step: str, **columns) -> int:
    pk = task_id(case_id, step)
    CaseTask.objects.filter(pk=pk).update(**columns)
    return pk


@pytest.fixture
def boxes(street_officer, lead_officer, lead_officer2, future_date):
    """The emergency bureau's queue and ``lead_officer``'s inbox, each row a case of its own kind of row."""
    now = timezone.now()
    cases = [register(street_officer, title=f"储罐区 {n} <script>alert('x')</script> & \"引号\"",
                      enterprise={"name": f"甲<b>{n}</b>公司 & 子", "uscc": make_uscc(n + 1)}) for n in range(9)]
    cases.append(register(street_officer, enterprise=None, title="无企业"))
    ids = [case["id"] for case in cases]
    set_task(ids[0], "verify", due_at=now - dt.timedelta(days=9))  # overdue by working days
    set_task(ids[1], "verify", due_at=now - dt.timedelta(minutes=1))  # overdue today, or by a day at midnight
    set_task(ids[2], "verify", due_at=timezone.localtime(now).replace(hour=23, minute=59))  # due today
    set_task(ids[3], "verify", paused_at=now, pause_reason="化验")  # paused
    set_task(ids[4], "verify", due_provisional=True)
    set_task(ids[5], "verify", due_at=None)
    Case.objects.filter(pk=ids[6]).update(grade="major")
    Case.objects.filter(pk=ids[7]).update(grade="general")
    for case_id in ids[:2] + ids[8:9]:  # claimed: in the inbox, with the holder's name
        assert Api(lead_officer).post(f"tasks/{task_id(case_id, 'verify')}/claim").status_code == 200
    # a review the officer may not take: they submitted its rectification
    review = register(street_officer)["id"]
    complete(lead_officer, review, "verify", "confirm", grade="general")
    complete(lead_officer, review, "order", "issue", deadline=future_date, measures="m", responsible_person="p",
             funds="f", contingency_plan="c")
    complete(lead_officer, review, "rectify", "submit", report="done")
    return {box: TableRows(lead_officer, box)[0:50] for box in ("queue", "inbox")}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_rows_are_those_the_template_drew(boxes, lead_officer, language):
    queue, inbox = boxes["queue"], boxes["inbox"]
    barred = barred_from(lead_officer, queue)
    assert len(queue) >= 8 and len(inbox) == 3 and len(barred) == 1
    assert barred == barred_from(lead_officer, rows_of(as_objects(queue)))  # the same from objects
    old = engines["django"].from_string(TEMPLATE)
    tables = [(queue, {"claim": "queue-form", "bulk": "queue-form"}), (inbox, {"empty_text": "没有"}),
              (queue, {}), ([], {"empty_text": "没有 <i>"}), ([], {"claim": "queue-form", "bulk": "queue-form"})]
    with translation.override(language):
        for rows, words in tables:
            new = render_to_string("desk/_task_rows.html", {"tasks": rows, "barred": barred, **words})
            assert new == old.render({"tasks": as_objects(rows), "barred": barred, **words})
            assert "<script>" not in new and "<b>" not in new


def test_every_kind_of_row_is_in_the_box(boxes):
    """The comparison above sees each branch of a row."""
    html = render_to_string("desk/_task_rows.html", {"tasks": boxes["queue"] + boxes["inbox"], "barred": set(),
                                                     "claim": "f", "bulk": "f"})
    for shown in ("逾期", "今天到期", "已暂停计时", "暂定", '<span class="badge red">重大</span>', "一般",
                  "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;引号&quot;", "甲&lt;b&gt;0&lt;/b&gt;公司 &amp; 子",
                  'class="overdue"', "late overdue-mark", "<small>—</small>", '<td data-label="企业">—</td>'):
        assert shown in html, shown


def test_a_filtered_box_reads_the_same_rows(boxes, lead_officer):
    assert list(table_values(tasks_in_box(lead_officer, "queue"))[:50]) == boxes["queue"]
