"""督办 started for many cases at once: the one way a supervision starts.

Starting the supervision flow through viewflow (``start.run``) creates, for
one case, the process, its start event (done) and the ``supervise`` task for
the safety office: about a dozen statements and much of viewflow's machinery
per case. A scan that catches up lists hundreds of cases at once, so this
writes the same rows for all of them in a few statements: the rows
``start.run`` would write, the supervise task routed by the node's own
``route``; tests/test_supervision_escalation.py works a case listed this way
through warn, interview and resolve with the ordinary services.
"""
import datetime as dt

from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS
from viewflow.workflow.token import Token

from cases.services import grant_access_many
from common.bulk import insert_rows
from flows.models import CaseTask, mirror_of

from .models import SupervisionProcess

CASE_TASK_COLUMNS = ("task_ptr_id", "case_id", "agency_id", "remind_at", "due_at", "supervise_at", "escalation_level",
                     "next_escalation_at", "paused_at", "pause_reason", "due_provisional", "queue", "holder_id")


def start_supervisions(listed: list, *, now: dt.datetime) -> None:
    """One supervision (督办) per (late task, case) pair; the caller passes each
    case once and only cases with no supervision open."""
    if not listed:
        return
    from .flows import SupervisionFlow

    flow = SupervisionFlow.instance
    processes = Process.objects.bulk_create(
        [Process(flow_class=SupervisionFlow, status=PROCESS.NEW, created=now, data={}) for _ in listed]
    )
    insert_rows(SupervisionProcess, ("process_ptr_id", "case_id", "late_task_id", "lagging_agency_id"),
                [(process.pk, case.pk, task.pk, task.agency_id) for process, (task, case) in zip(processes, listed)])

    starts = Task.objects.bulk_create(
        [Task(process_id=p.pk, flow_task=flow.start, flow_task_type="START", status=STATUS.DONE, created=now,
              started=now, finished=now, token=Token("start"), data={}) for p in processes]
    )
    supervise_rows = []
    for process, (_task, case) in zip(processes, listed):
        row = CaseTask(process_id=process.pk, flow_task=flow.supervise, flow_task_type="HUMAN", status=STATUS.NEW,
                       token=Token("start"), data={})
        flow.supervise.route(row, None, case=case, created=now)
        supervise_rows.append(row)
    supervises = Task.objects.bulk_create([Task(**_task_columns(row)) for row in supervise_rows])

    insert_rows(CaseTask, CASE_TASK_COLUMNS, [(start.pk, case.pk, None, None, None, None, 0, None, None, "", False,
                                               None, None) for start, (_task, case) in zip(starts, listed)])
    insert_rows(CaseTask, CASE_TASK_COLUMNS, [
        (saved.pk, row.case_id, row.agency_id, row.remind_at, row.due_at, row.supervise_at, 0, row.next_escalation_at,
         None, "", row.due_provisional, *_box(saved)) for saved, row in zip(supervises, supervise_rows)
    ])
    Task.previous.through.objects.bulk_create(
        [Task.previous.through(from_task_id=s.pk, to_task_id=t.pk) for s, t in zip(supervises, starts)]
    )
    grant_access_many(pairs=[(row.case_id, row.agency_id) for row in supervise_rows])


def _box(task: Task) -> tuple:
    """(queue, holder_id) of a task written without ``CaseTask.save``."""
    return mirror_of(status=task.status, flow_task_type=task.flow_task_type, owner_permission=task.owner_permission,
                     owner_id=task.owner_id)


def _task_columns(row: CaseTask) -> dict:
    """The ``viewflow_task`` columns of a CaseTask built in memory."""
    return {f.attname: getattr(row, f.attname) for f in Task._meta.concrete_fields if f.attname != "id"}
