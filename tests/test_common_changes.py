"""A case or task read from the database and saved writes the columns that
changed (``common.changes``): what it writes is what a full save would have
left in the row, it writes nothing when nothing changed, and it does not
write back a stale copy over a set-based update made beside it."""
import datetime as dt

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Case
from flows.models import CaseTask

from .scenarios import open_tasks, register


def _updates(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("UPDATE")]


def test_a_read_case_saved_writes_the_changed_columns_and_its_clock(street_officer):
    case = Case.objects.get(pk=register(street_officer)["id"])
    before = case.updated_at
    case.title = "加油站储罐区静电接地失效"
    with CaptureQueriesContext(connection) as captured:
        case.save()
    (update,) = _updates(captured)
    assert '"title"' in update and '"updated_at"' in update
    assert '"description"' not in update and '"lead_agency_id"' not in update and '"number"' not in update
    stored = Case.objects.get(pk=case.pk)
    assert stored.title == "加油站储罐区静电接地失效" and stored.updated_at > before
    assert stored.description == case.description and stored.number == case.number


def test_a_json_document_changed_in_place_is_written(street_officer):
    case = Case.objects.get(pk=register(street_officer)["id"])
    case.details["chemical"] = "液氨"
    case.save()
    assert Case.objects.get(pk=case.pk).details["chemical"] == "液氨"


def test_a_value_set_back_to_what_was_read_is_not_a_change(street_officer):
    case = Case.objects.get(pk=register(street_officer)["id"])
    title = case.title
    case.title = "改了又改回"
    case.title = title
    assert "title" not in case.changed_fields()
    assert case.changed_fields() == ["details", "criteria", "rectification_order", "updated_at"]  # never compared


def test_a_set_based_update_beside_a_read_copy_is_not_overwritten(street_officer):
    case = Case.objects.get(pk=register(street_officer)["id"])
    with transaction.atomic():
        Case.objects.filter(pk=case.pk).update(supervision_level=2)
        case.title = "另一标题"
        case.save()
    stored = Case.objects.get(pk=case.pk)
    assert stored.supervision_level == 2 and stored.title == "另一标题"


def test_a_task_saved_after_its_step_writes_both_tables_changed_columns_only(street_officer):
    case_id = register(street_officer)["id"]
    task = CaseTask.objects.get(pk=open_tasks(case_id, "verify")[0].pk)
    task.next_escalation_at = None
    task.finished = timezone.now()
    with CaptureQueriesContext(connection) as captured:
        task.save()
    parent, child = _updates(captured)
    assert '"finished"' in parent and '"created"' not in parent and '"process_id"' not in parent
    assert '"next_escalation_at"' in child and '"due_at"' not in child and '"case_id"' not in child
    stored = CaseTask.objects.get(pk=task.pk)
    assert stored.next_escalation_at is None and stored.finished == task.finished
    assert stored.due_at == task.due_at and stored.case_id == case_id


def test_a_row_refreshed_from_the_database_compares_with_what_it_read_again(street_officer):
    case = Case.objects.get(pk=register(street_officer)["id"])
    due = timezone.now() + dt.timedelta(days=3)
    Case.objects.filter(pk=case.pk).update(due_at=due)
    case.refresh_from_db(fields=["due_at"])
    assert case.due_at == due and "due_at" not in case.changed_fields()
    case.due_at = None
    case.save()
    assert Case.objects.get(pk=case.pk).due_at is None


def test_a_new_row_and_a_save_that_names_its_fields_are_saved_as_asked(street_officer):
    case = Case.objects.get(pk=register(street_officer)["id"])
    case.title, case.address = "只存标题", "不存地址"
    case.save(update_fields=["title"])
    stored = Case.objects.get(pk=case.pk)
    assert stored.title == "只存标题" and stored.address != "不存地址"
    case.address = stored.address
    with CaptureQueriesContext(connection) as captured:
        case.save()  # the title was written by the named save: now only the never-compared fields
    (update,) = _updates(captured)
    assert '"title"' not in update and '"address"' not in update
