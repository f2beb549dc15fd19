"""The 22 key tasks, checked against the plan's own text: its words, its
units (collectives expanded to the units that report), no guessed roles."""
import re
from pathlib import Path

from django.core.management import call_command

from org.models import Agency, User
from planning.models import PlanTask, PlanTaskAgency
from planning.reports import save_report

from .conftest import Api

PLAN = (Path(__file__).resolve().parent.parent / "planning" / "data" / "nankai-plan-2022.txt").read_text(encoding="utf-8")
ENTRY = re.compile(r"重点任务(\d+)：(.+?)\n\s*\n?\s*责任单位：(.+?)\n\s*\n?\s*完成时限：(.+?)\n", re.S)
# The plan's collective units, and what each stands for in the system.
COLLECTIVES = {"全区各级党委党组", "各相关部门和单位", "区安委会成员单位", "各街道办事处", "相关街道办事处",
               "全区危险化学品企业", "相关企业"}


def plan_units(responsible_text: str) -> list[str]:
    text = responsible_text.replace("分工负责", "").replace("等相关部门", "")
    return [unit.strip() for unit in re.split(r"、|和(?=各街道)", text) if unit.strip()]


def test_twenty_two_tasks_in_the_plans_words():
    found = {int(m.group(1)): m for m in ENTRY.finditer(PLAN)}
    assert sorted(found) == list(range(1, 23))
    tasks = {t.number: t for t in PlanTask.objects.prefetch_related("responsibilities__agency")}
    assert sorted(tasks) == list(range(1, 23))
    for number, match in found.items():
        task = tasks[number]
        assert task.text == re.sub(r"\s+", "", match.group(2))
        assert task.responsible_text == match.group(3).strip()
        assert task.deadline_text == match.group(4).strip()


def test_every_unit_the_plan_names_reports_by_name_or_through_its_collective():
    for task in PlanTask.objects.prefetch_related("responsibilities__agency"):
        links = list(task.responsibilities.all())
        names = {link.agency.name for link in links}
        for unit in plan_units(task.responsible_text):
            if unit == "相关街道办事处":
                continue  # the streets the register holds enterprises in: none in an empty register
            if unit in COLLECTIVES:
                assert any(unit in link.stands_for for link in links), (task.number, unit)
            else:
                assert unit in names, (task.number, unit)


def test_collectives_are_the_real_units():
    links = {task.number: list(task.responsibilities.select_related("agency")) for task in PlanTask.objects.all()}
    streets = set(Agency.objects.filter(kind=Agency.Kind.STREET).values_list("code", flat=True))
    assert len(streets) == 12
    # 各街道办事处: the twelve streets, each for the plan's words
    assert {link.agency.code for link in links[2] if link.stands_for == "各街道办事处"} == streets
    # 区安委会成员单位: the committee's members, the safety office (its office) not among them
    members = {link.agency.code for link in links[3]}
    assert members == set(Agency.objects.filter(committee_member=True).values_list("code", flat=True))
    assert "safety_office" not in members and {"emergency", "police", "hr_bureau"} <= members
    # 全区危险化学品企业: reported by the emergency bureau, which urges the enterprises and sums up
    for number in (5, 6, 7):
        assert [(link.agency.code, link.stands_for.startswith("全区危险化学品企业")) for link in links[number]] == [
            ("emergency", True)]
    # no unit is a placeholder nobody can log in as
    assert not Agency.objects.filter(code__in=["party_committees", "relevant_departments", "committee_members",
                                                "chemical_enterprises", "related_enterprises"]).exists()


def test_roles_are_the_plans_words_and_never_guessed(lead_officer):
    tasks = {t["number"]: t for t in Api(lead_officer).get("plan/tasks").json()}
    assert len(tasks) == 22

    def roles(n):
        return {unit["agency"]: unit["role"] for unit in tasks[n]["units"]}

    # the plan says 牵头 or 配合 nowhere: every named unit is a responsible unit
    assert not {unit["role"] for task in tasks.values() for unit in task["units"]} & {"lead", "support"}
    assert roles(14) == {"ecology": "divided", "emergency": "divided"}  # 分工负责
    assert roles(15) == {"education": "divided", "science": "divided"}
    assert roles(16) == {"org_department": "responsible", "emergency": "responsible"}
    assert roles(17) == {"emergency": "responsible", "hr_bureau": "responsible"}
    assert roles(4) == {"safety_office": "responsible"}
    assert tasks[16]["units"][0]["role_label"] and tasks[16]["units"][0]["name"] == "区委组织部"
    assert tasks[8]["deadline"] == "2022-10-31" and tasks[8]["ongoing"] is False
    assert tasks[1]["deadline"] == "2022-02-28" and tasks[1]["ongoing"] is True
    assert tasks[3]["deadline"] is None and tasks[3]["deadline_text"] == "持续推进"
    assert tasks[21]["deadline"] == "2022-08-31"
    assert [m["date"] for m in tasks[13]["milestones"]] == ["2022-06-30", "2022-12-31"]
    assert tasks[13]["group"].startswith("（二）") and tasks[19]["group"].startswith("（四）")


def test_no_plan_unit_lacks_users_able_to_report():
    call_command("seed_demo")
    for link in PlanTaskAgency.objects.select_related("agency", "task"):
        user = User.objects.filter(agency=link.agency, is_active=True).order_by("username").first()
        assert user is not None, link.agency.code
        report = save_report(actor=user, kind="monthly", period="2026-11",
                             entries=[{"task": link.task.number, "status": "in_progress", "progress": "推进中"}])
        assert report.entries.filter(task=link.task).exists(), (link.agency.code, link.task.number)


def test_plan_units_rebuilds_the_links_without_duplicates():
    before = list(PlanTaskAgency.objects.order_by("task__number", "position").values_list("task__number", "agency__code",
                                                                                             "role", "stands_for"))
    call_command("plan_units")
    after = list(PlanTaskAgency.objects.order_by("task__number", "position").values_list("task__number", "agency__code",
                                                                                            "role", "stands_for"))
    assert after == before and len(after) == len(set((n, c) for n, c, _r, _s in after))
