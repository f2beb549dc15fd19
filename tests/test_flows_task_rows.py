"""A new task's rows written in one statement (``flows.task_rows``) are the rows a
save and a link write: every column of the task and of its CaseTask row, the box
it is mirrored in, its link to the task before it; and it leaves the task saved."""
import datetime as dt

from django.utils import timezone

from flows.models import CaseTask
from flows.task_rows import insert_task

from .scenarios import register, task_id


def _columns(task_id: int) -> dict:
    row = CaseTask.objects.filter(pk=task_id).values().get()
    return {name: value for name, value in row.items() if name not in ("id", "task_ptr_id")}


def _like(source: CaseTask, created) -> CaseTask:
    return CaseTask(process_id=source.process_id, flow_task=source.flow_task, token=source.token,
                    owner_permission=source.owner_permission, agency_id=source.agency_id, case_id=source.case_id,
                    created=created, remind_at=created, due_at=created + dt.timedelta(days=3),
                    supervise_at=created + dt.timedelta(days=5), next_escalation_at=created,
                    data={"agency": "emergency", "note": "引号 ' 和 %"}, pause_reason="")


def test_a_task_written_in_one_statement_is_the_task_a_save_writes(street_officer):
    source = CaseTask.objects.get(pk=task_id(register(street_officer)["id"], "verify"))
    created, before = timezone.now(), CaseTask.objects.filter(process_id=source.process_id).count()
    inserted, saved = _like(source, created), _like(source, created)

    insert_task(inserted, previous=source)
    saved.save()
    saved.previous.add(source)

    assert inserted.pk and inserted.pk != saved.pk and not inserted._state.adding
    assert _columns(inserted.pk) == _columns(saved.pk)
    assert _columns(inserted.pk)["queue"] == source.owner_permission  # in the agency's queue, mirrored
    assert list(CaseTask.objects.get(pk=inserted.pk).previous.values_list("pk", flat=True)) == [source.pk]
    inserted.status = "ASSIGNED"
    inserted.owner_id = street_officer.pk
    inserted.save()  # an update now, as after a save
    assert CaseTask.objects.filter(pk=inserted.pk).values_list("holder_id", flat=True).get() == street_officer.pk
    assert CaseTask.objects.filter(process_id=source.process_id).count() == before + 2
