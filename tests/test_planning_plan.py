"""The 22 key tasks, checked against the plan's own text."""
import re
from pathlib import Path

from planning.models import PlanTask

from .conftest import Api

PLAN = (Path(__file__).resolve().parent.parent / "planning" / "data" / "nankai-plan-2022.txt").read_text(encoding="utf-8")
ENTRY = re.compile(r"重点任务(\d+)：(.+?)\n\s*\n?\s*责任单位：(.+?)\n\s*\n?\s*完成时限：(.+?)\n", re.S)


def test_twenty_two_tasks_match_the_plan():
    found = {int(m.group(1)): m for m in ENTRY.finditer(PLAN)}
    assert sorted(found) == list(range(1, 23))
    tasks = {t.number: t for t in PlanTask.objects.prefetch_related("responsibilities__agency")}
    assert sorted(tasks) == list(range(1, 23))
    for number, match in found.items():
        task = tasks[number]
        assert task.text == re.sub(r"\s+", "", match.group(2))
        assert task.responsible_text == match.group(3).strip()
        assert task.deadline_text == match.group(4).strip()
        # every unit the plan names is among the task's agencies, by name
        names = {r.agency.name for r in task.responsibilities.all()}
        for unit in re.split(r"、|和(?=各街道)", task.responsible_text.replace("分工负责", "").replace("等相关部门", "")):
            unit = unit.strip()
            if unit in ("各街道办事处", "相关街道办事处"):
                assert sum(1 for n in names if n.endswith("街道")) == 12, number
            else:
                assert unit in names, (number, unit)


def test_leads_supports_deadlines_and_milestones_as_the_plan_says(lead_officer):
    tasks = {t["number"]: t for t in Api(lead_officer).get("plan/tasks", page_size=50).json()["results"]}
    assert len(tasks) == 22

    def roles(n):
        return {a["code"]: a["role"] for a in tasks[n]["agencies"]}

    assert roles(11)["emergency"] == "lead" and roles(11)["police"] == "support" and roles(11)["street_huayuan"] == "support"
    assert roles(14) == {"ecology": "lead", "emergency": "lead"}  # 分工负责: both lead
    assert roles(16) == {"org_department": "lead", "emergency": "support"}  # a unit that is not a case agency
    assert roles(17) == {"emergency": "lead", "hr_bureau": "support"}
    assert roles(4) == {"safety_office": "lead"}
    assert {a["name"] for a in tasks[16]["agencies"]} == {"区委组织部", "区应急局"}
    assert tasks[8]["deadline"] == "2022-10-31" and tasks[8]["ongoing"] is False
    assert tasks[1]["deadline"] == "2022-02-28" and tasks[1]["ongoing"] is True
    assert tasks[3]["deadline"] is None and tasks[3]["deadline_text"] == "持续推进"
    assert tasks[21]["deadline"] == "2022-08-31"
    assert [m["date"] for m in tasks[13]["milestones"]] == ["2022-06-30", "2022-12-31"]
    assert tasks[13]["group"].startswith("（二）") and tasks[19]["group"].startswith("（四）")
