"""The plan's key tasks: loading them, and which a unit must report on."""
import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "plan_tasks.json"


def load_plan_tasks(task_model=None, link_model=None, agency_model=None) -> int:
    if task_model is None:
        from org.models import Agency as agency_model  # noqa: N813
        from planning.models import PlanTask as task_model  # noqa: N813
        from planning.models import PlanTaskAgency as link_model  # noqa: N813
    tasks = json.loads(DATA.read_text(encoding="utf-8"))["tasks"]
    agencies = {a.code: a for a in agency_model.objects.all()}
    for item in tasks:
        task, _ = task_model.objects.update_or_create(
            number=item["number"],
            defaults={key: item[key] for key in ("group", "measure", "text", "responsible_text", "deadline",
                                                 "deadline_text", "ongoing", "milestones")},
        )
        link_model.objects.filter(task=task).delete()
        link_model.objects.bulk_create([
            link_model(task=task, agency=agencies[unit["code"]], role=unit["role"], position=position)
            for position, unit in enumerate(item["agencies"])
        ])
    return len(tasks)
