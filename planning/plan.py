"""The plan's key tasks: loading them with the units that report on each,
collective units expanded (docs/rules.md, "The plan's tasks")."""
import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "plan_tasks.json"


def expand(unit: dict, agencies: dict, related: list) -> list:
    """The agencies a unit of the plan's data stands for: itself, or a collective's members."""
    collective = unit.get("collective")
    if collective is None:
        return [agencies[unit["code"]]]
    if collective == "committee_members":
        return sorted((a for a in agencies.values() if a.committee_member), key=lambda a: (a.kind != "bureau", a.code))
    if collective == "streets":
        return sorted((a for a in agencies.values() if a.kind == "street"), key=lambda a: a.code)
    if collective == "related_streets":
        return related
    raise ValueError(f"unknown collective unit {collective!r}")


def related_streets(agencies: dict) -> list:
    """相关街道办事处 of the monitoring tasks: the streets where the register holds
    hazardous-chemical enterprises (none while it holds none)."""
    from cases.models import Enterprise

    # a draft entry (a case named a code the register did not hold) is not yet known to handle chemicals
    codes = set(Enterprise.objects.filter(street__isnull=False, draft=False).values_list("street__code", flat=True))
    return sorted((agencies[code] for code in codes if code in agencies), key=lambda a: a.code)


def load_plan_tasks(task_model=None, link_model=None, agency_model=None, *, related=None) -> int:
    """Load the tasks and their units (again: the links are rebuilt). A
    migration passes its historical models and ``related=[]`` (the register is
    read by ``manage.py plan_units`` and the nightly ``planning.tasks.plan_units``)."""
    if task_model is None:
        from org.models import Agency as agency_model  # noqa: N813
        from planning.models import PlanTask as task_model  # noqa: N813
        from planning.models import PlanTaskAgency as link_model  # noqa: N813
    tasks = json.loads(DATA.read_text(encoding="utf-8"))["tasks"]
    agencies = {a.code: a for a in agency_model.objects.all()}
    if related is None:
        related = related_streets(agencies)
    for item in tasks:
        task, _ = task_model.objects.update_or_create(
            number=item["number"],
            defaults={key: item[key] for key in ("group", "measure", "text", "responsible_text", "deadline",
                                                 "deadline_text", "ongoing", "milestones")},
        )
        link_model.objects.filter(task=task).delete()
        links, seen = [], set()
        for unit in item["agencies"]:
            for agency in expand(unit, agencies, related):
                if agency.pk in seen:
                    continue
                seen.add(agency.pk)
                links.append(link_model(task=task, agency=agency, role=unit["role"],
                                        stands_for=unit.get("stands_for", ""), position=len(links)))
        link_model.objects.bulk_create(links)
    return len(tasks)
