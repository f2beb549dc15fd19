"""Steps of a case, as its users take them through the API."""
from flows.models import OPEN_STATUSES, CaseTask

from .conftest import Api
from .factories import hazard_payload


def register(user, **overrides) -> dict:
    response = Api(user).post("cases", hazard_payload(**overrides))
    assert response.status_code == 201, response.json()
    return response.json()


def open_tasks(case_id: int, step: str) -> list[CaseTask]:
    tasks = CaseTask.objects.filter(case_id=case_id, flow_task_type="HUMAN", status__in=OPEN_STATUSES)
    return [task for task in tasks.select_related("agency").order_by("id") if task.step == step]


def task_id(case_id: int, step: str, agency: str | None = None) -> int:
    tasks = [t for t in open_tasks(case_id, step) if agency is None or t.agency.code == agency]
    assert len(tasks) == 1, f"expected one open {step} task, found {tasks}"
    return tasks[0].pk


def complete(user, case_id: int, step: str, action: str, queue: str | None = None, **fields) -> dict:
    response = Api(user).post(f"tasks/{task_id(case_id, step, queue)}/complete", {"action": action, **fields})
    assert response.status_code == 200, response.json()
    return response.json()


def state(user, case_id: int) -> str:
    return Api(user).get(f"cases/{case_id}").json()["state"]


def rows_of(tasks) -> list[dict]:
    """Tasks as the desk's tables read them (``flows.selectors.table_values``), as far as the four-eyes rule looks."""
    return [{"id": task.pk, "process_id": task.process_id, "flow_task": task.flow_task} for task in tasks]
