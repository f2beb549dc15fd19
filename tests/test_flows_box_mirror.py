"""The box a task is in, mirrored onto ``flows_casetask`` (queue, holder) for
the queue's and the inbox's indexes, always says what viewflow's own row says:
through the services, through viewflow's partial saves, through a queryset
update that no model sees (the trigger of flows 0006), and for rows inserted
by hand (the supervision listing)."""
import datetime as dt

from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from flows.models import CaseTask, mirror_of
from flows.selectors import tasks_in_box
from org.backends import leader_permission

from .conftest import Api
from .scenarios import complete, register, task_id


def _mirrors_agree():
    rows = CaseTask.objects.values_list("pk", "status", "flow_task_type", "owner_permission", "owner_id", "queue",
                                        "holder_id")
    wrong = [row for row in rows if mirror_of(status=row[1], flow_task_type=row[2], owner_permission=row[3],
                                             owner_id=row[4]) != (row[5], row[6])]
    assert rows and not wrong


def test_claim_unclaim_assign_and_complete_keep_the_mirror(street_officer, lead_officer, lead_leader):
    case = register(street_officer)
    verify = task_id(case["id"], "verify")
    assert CaseTask.objects.get(pk=verify).queue == "agency:emergency"
    _mirrors_agree()
    assert Api(lead_officer).post(f"tasks/{verify}/claim").status_code == 200
    assert CaseTask.objects.values_list("queue", "holder_id").get(pk=verify) == (None, lead_officer.pk)
    assert Api(lead_officer).post(f"tasks/{verify}/unclaim").status_code == 200
    assert CaseTask.objects.values_list("queue", "holder_id").get(pk=verify) == ("agency:emergency", None)
    assert Api(lead_leader).post(f"tasks/{verify}/assign", {"username": lead_officer.username}).status_code == 200
    assert [t.pk for t in tasks_in_box(lead_officer, "inbox")] == [verify]
    complete(lead_officer, case["id"], "verify", "confirm", grade="general")
    assert CaseTask.objects.values_list("queue", "holder_id").get(pk=verify) == (None, None)
    _mirrors_agree()


def test_a_write_no_model_sees_moves_the_mirror(street_officer, lead_officer):
    """viewflow's ``save(update_fields=["status"])`` and a queryset update
    (``flows.services._end_other_processes``) change viewflow_task alone."""
    case = register(street_officer)
    verify = task_id(case["id"], "verify")
    Task.objects.filter(pk=verify).update(status=STATUS.ASSIGNED, owner=lead_officer)
    assert CaseTask.objects.values_list("queue", "holder_id").get(pk=verify) == (None, lead_officer.pk)
    Task.objects.filter(pk=verify).update(owner_permission="agency:police", status=STATUS.NEW, owner=None)
    assert CaseTask.objects.values_list("queue", "holder_id").get(pk=verify) == ("agency:police", None)
    task = Task.objects.get(pk=verify)
    task.status = STATUS.CANCELED
    task.save(update_fields=["status"])
    assert CaseTask.objects.values_list("queue", "holder_id").get(pk=verify) == (None, None)
    # a stale CaseTask saved whole writes its own status to both tables, and a box that agrees
    stale = CaseTask.objects.get(pk=verify)
    stale.status = STATUS.NEW
    stale.save()
    assert CaseTask.objects.values_list("queue", "holder_id").get(pk=verify) == ("agency:police", None)
    _mirrors_agree()


def test_the_queue_lists_most_urgent_first_across_a_leaders_two_queues(street_officer, lead_leader):
    assert Api(lead_leader).get("tasks", box="queue").json()["results"] == []  # a page of nothing (slice 0:0)
    assert list(tasks_in_box(lead_leader, "queue")[0:0]) == []
    cases = [register(street_officer) for _ in range(4)]
    ids = [task_id(case["id"], "verify") for case in cases]
    # two of them routed to the leaders (a referral's return goes there), due times shuffled
    Task.objects.filter(pk__in=ids[:2]).update(owner_permission=leader_permission("emergency"))
    now = timezone.now()
    for offset, pk in zip((3, 1, 4, 2), ids):
        CaseTask.objects.filter(pk=pk).update(due_at=now + dt.timedelta(days=offset))
    expected = [pk for _offset, pk in sorted(zip((3, 1, 4, 2), ids))]
    queue = tasks_in_box(lead_leader, "queue")
    assert [t.pk for t in queue[:4]] == expected
    assert [t.pk for t in queue[1:3]] == expected[1:3]
    assert [t["id"] for t in Api(lead_leader).get("tasks", box="queue", page_size=2).json()["results"]] == expected[:2]
    assert queue.first().pk == expected[0] and queue.count() == 4
