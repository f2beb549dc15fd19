"""Several tasks at once (批量签收, 批量指派): each task is claimed or assigned
by its own atomic service, in its own transaction, so one task taken meanwhile
by another officer refuses that task alone; the result names what was done
and why each refused task was refused."""
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from common.exceptions import DomainError, InvalidInput
from common.inputs import parse_id
from org.models import User

from . import services

MAX_TASKS = 100


@dataclass
class BulkResult:
    done: list[int] = field(default_factory=list)
    refused: dict[int, str] = field(default_factory=dict)  # task id -> why


def _task_ids(task_ids) -> list[int]:
    if not isinstance(task_ids, list) or not task_ids:
        raise InvalidInput(fields={"tasks": [_("Choose at least one task.")]})
    if len(task_ids) > MAX_TASKS:
        raise InvalidInput(fields={"tasks": [_("At most %(n)d tasks at once.") % {"n": MAX_TASKS}]})
    ids = [parse_id(value) for value in task_ids]
    if None in ids:
        raise InvalidInput(fields={"tasks": [_("Each task is given by its number.")]})
    return list(dict.fromkeys(ids))


def _each(task_ids, operation: Callable[[int], object]) -> BulkResult:
    result = BulkResult()
    for task_id in _task_ids(task_ids):
        try:
            operation(task_id)
        except DomainError as error:
            result.refused[task_id] = error.text()
        else:
            result.done.append(task_id)
    return result


def claim_tasks(*, user: User, task_ids: list) -> BulkResult:
    """签收 each task (``services.claim_task``)."""
    return _each(task_ids, lambda task_id: services.claim_task(user=user, task_id=task_id))


def assign_tasks(*, user: User, task_ids: list, username: str) -> BulkResult:
    """指派 each task to one officer (``services.assign_task``: a leader of the task's agency)."""
    return _each(task_ids, lambda task_id: services.assign_task(user=user, task_id=task_id, username=username))
