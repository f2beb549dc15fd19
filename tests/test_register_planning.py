"""相关街道办事处 of key tasks 19 and 20 are the streets where the register holds
enterprises (Enterprise.street), drafts left out; the dashboard-side counts
of the register by street and risk colour."""
import pytest

from cases.models import Enterprise
from org.models import User
from planning.models import PlanTask
from planning.plan import load_plan_tasks
from register.selectors import risk_counts, visible_enterprises

from .factories import make_uscc, officer, register_enterprise
from .scenarios import register

pytestmark = pytest.mark.django_db


def related(number: int) -> set[str]:
    task = PlanTask.objects.get(number=number)
    return {link.agency.code for link in task.responsibilities.select_related("agency")
            if link.stands_for == "相关街道办事处"}


def test_the_related_streets_follow_the_register(street_officer):
    load_plan_tasks()
    assert related(19) == related(20) == set()
    register_enterprise(1)  # 长虹街道
    register_enterprise(2, street="gulou")
    register(street_officer, street="xiangyanglu", enterprise={"uscc": make_uscc(3), "name": "草稿企业"})  # a draft
    load_plan_tasks()
    assert related(19) == related(20) == {"street_changhong", "street_gulou"}


def test_risk_counts_by_street():
    register_enterprise(4, risk="red")
    register_enterprise(5, risk="red")
    register_enterprise(6, risk="blue", street="gulou")
    rows = {row["street"]: row for row in risk_counts(visible_enterprises(officer("safety_office", username="so1")))}
    assert rows["长虹街道"]["red"] == 2 and rows["长虹街道"]["total"] == 2
    assert rows["鼓楼街道"]["blue"] == 1


def test_the_demo_register_seeds_once_and_refuses_a_real_database():
    from django.core.management import CommandError, call_command

    from register.demo import demo_uscc
    from register.models import Licence

    call_command("seed_register_demo")
    assert Enterprise.objects.filter(uscc__startswith="91120104DM").count() == 24
    call_command("seed_register_demo")
    assert Enterprise.objects.count() == 24
    assert Licence.objects.get(enterprise__uscc=demo_uscc(2)).is_expired()
    User.objects.create_user("real_person", password="pw-123456")
    with pytest.raises(CommandError):
        call_command("seed_register_demo")


def test_the_statistics_and_the_dashboard_count_the_register(lead_leader):
    import datetime as dt

    from django.test import Client
    from django.utils import timezone

    from register.models import Licence

    from .conftest import Api

    register_enterprise(7, risk="red")
    register_enterprise(8, risk="red", street="gulou")
    register_enterprise(9, risk="blue")
    Licence.objects.filter(enterprise__uscc=make_uscc(9)).update(valid_to=timezone.localdate() - dt.timedelta(days=1))
    figures = Api(lead_leader).get("stats", period=timezone.localdate().strftime("%Y-%m")).json()["register"]
    assert figures["enterprises"] == 3 and figures["by_risk"]["red"] == 2 and figures["by_risk"]["blue"] == 1
    assert figures["with_expired_licence"] == 1
    assert {row["key"]: row["total"] for row in figures["by_street"]} == {"street_changhong": 2, "street_gulou": 1}
    client = Client()
    client.force_login(lead_leader)
    text = client.get("/plan/dashboard/").content.decode()
    assert "/enterprises/?risk=red" in text and "鼓楼街道" in text
