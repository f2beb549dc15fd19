"""Special campaigns (专项行动): opened by the safety office or a leader for
its own agency, cases linked at registration by the agencies taking part,
counted on the page and in the API."""
import datetime as dt

import pytest
from django.test import Client

from cases.models import Campaign, Case
from enforcement.models import Referral
from org.models import User

from .conftest import Api
from .factories import officer
from .scenarios import complete, register

TODAY = dt.date.today


def campaign_body(**overrides):
    body = {"name": "危险废物专项整治", "lead": "ecology", "agencies": ["emergency", "street_changhong"],
            "starts_on": (dt.date.today() - dt.timedelta(days=10)).isoformat(),
            "ends_on": (dt.date.today() + dt.timedelta(days=50)).isoformat(), "plan_task": 14}
    body.update(overrides)
    return body


@pytest.fixture
def campaign(supervisor):
    response = Api(supervisor).post("campaigns", campaign_body())
    assert response.status_code == 201, response.json()
    return response.json()


def test_the_safety_office_opens_a_campaign_and_everyone_sees_it(campaign, street_officer):
    assert campaign["lead"] == "ecology" and campaign["agencies"] == ["emergency", "street_changhong"]
    assert campaign["running"] is True and campaign["counts"] == {"found": 0, "open": 0, "closed": 0,
                                                                   "dismissed": 0, "referred": 0}
    assert [row["name"] for row in Api(street_officer).get("campaigns").json()] == ["危险废物专项整治"]


def test_a_leader_opens_a_campaign_of_its_own_agency_only():
    leader = officer("traffic", User.Role.LEADER)
    own = Api(leader).post("campaigns", campaign_body(name="危化品运输车辆专项治理", lead="traffic", plan_task=13))
    assert own.status_code == 201
    other = Api(leader).post("campaigns", campaign_body(lead="emergency"))
    assert other.status_code == 400 and "lead" in other.json()["error"]["fields"]
    assert Api(officer("traffic")).post("campaigns", campaign_body(lead="traffic")).status_code == 403
    assert Campaign.objects.count() == 1


@pytest.mark.parametrize("overrides, field", [
    ({"name": ""}, "name"),
    ({"lead": "nobody"}, "lead"),
    ({"lead": "org_department"}, "lead"),  # a unit of the plan, not an agency that enforces
    ({"agencies": ["emergency", "nobody"]}, "agencies"),
    ({"agencies": "emergency"}, "agencies"),
    ({"starts_on": "2026-02-30"}, "starts_on"),
    ({"starts_on": "2026-12-01", "ends_on": "2026-11-30"}, "ends_on"),
    ({"starts_on": "2026-01-01", "ends_on": "2027-01-02"}, "ends_on"),  # more than a year
    ({"plan_task": 23}, "plan_task"),
    ({"plan_task": "14"}, "plan_task"),
])
def test_bad_campaigns_are_refused_and_write_nothing(supervisor, overrides, field):
    response = Api(supervisor).post("campaigns", campaign_body(**overrides))
    assert response.status_code == 400 and field in response.json()["error"]["fields"], response.json()
    assert not Campaign.objects.exists()


def test_cases_found_in_the_campaign_are_linked_and_counted(campaign, street_officer, lead_officer, supervisor):
    found = register(street_officer, campaign=campaign["id"])
    assert found["campaign"] == {"id": campaign["id"], "name": "危险废物专项整治"}
    dismissed = register(street_officer, campaign=campaign["id"], title="疑似非法储存")
    complete(lead_officer, dismissed["id"], "verify", "dismiss", reason="经核实不属于隐患")
    referred = register(street_officer, campaign=campaign["id"], title="非法倾倒危险废物")
    Referral.objects.create(case_id=referred["id"], reason="涉嫌污染环境罪", referred_by=lead_officer,
                            status=Referral.Status.PENDING)
    register(street_officer, title="不属于专项行动的隐患")
    counts = Api(supervisor).get(f"campaigns/{campaign['id']}").json()["campaign"]["counts"]
    assert counts == {"found": 3, "open": 2, "closed": 0, "dismissed": 1, "referred": 1}


def test_only_agencies_taking_part_link_a_case_and_only_to_a_running_campaign(campaign, police_officer, supervisor):
    refused = Api(police_officer).post("cases", {**_payload(), "campaign": campaign["id"]})
    assert refused.status_code == 400 and "campaign" in refused.json()["error"]["fields"]
    ended = Api(supervisor).post("campaigns", campaign_body(name="已结束的行动", starts_on="2026-01-01",
                                                            ends_on="2026-01-31")).json()
    street = officer("street_changhong")
    late = Api(street).post("cases", {**_payload(), "campaign": ended["id"]})
    assert late.status_code == 400 and "campaign" in late.json()["error"]["fields"]
    assert not Case.objects.exists()


def test_the_campaign_pages_count_all_cases_and_list_the_visible(campaign, street_officer, supervisor,
                                                                 django_assert_num_queries):
    mine = register(street_officer, campaign=campaign["id"])
    gulou = officer("street_gulou")
    Campaign.objects.get(pk=campaign["id"]).agencies.add(gulou.agency)
    theirs = register(gulou, campaign=campaign["id"], street="gulou", title="鼓楼街道发现的隐患")
    Api(supervisor).post("campaigns", campaign_body(name="第二个行动", lead="emergency"))
    client = Client()
    client.force_login(street_officer)
    with django_assert_num_queries(4):  # constant: campaigns with their counts in one, their agencies in one
        page = client.get("/plan/campaigns/")
    assert page.status_code == 200 and "危险废物专项整治" in page.content.decode()
    detail = client.get(f"/plan/campaigns/{campaign['id']}/").content.decode()
    assert mine["number"] in detail and theirs["number"] not in detail  # counted, but not shown to Changhong
    assert client.get("/plan/campaigns/999999/").status_code == 404
    assert client.post("/plan/campaigns/", {"name": "x"}).status_code == 403  # an officer opens none


def test_the_safety_office_opens_a_campaign_on_the_page(supervisor):
    client = Client()
    client.force_login(supervisor)
    bad = client.post("/plan/campaigns/", {"name": "危化品运输专项", "lead": "traffic", "starts_on": "2026-12-01",
                                           "ends_on": "2026-11-01"})
    assert bad.status_code == 200 and not Campaign.objects.exists()
    good = client.post("/plan/campaigns/", {"name": "危化品运输专项", "lead": "traffic", "agencies": ["police"],
                                            "starts_on": "2026-11-01", "ends_on": "2026-12-31", "plan_task": "13"})
    campaign = Campaign.objects.get()
    assert good.status_code == 302 and good["Location"] == f"/plan/campaigns/{campaign.pk}/"
    assert campaign.plan_task == 13 and [a.code for a in campaign.agencies.all()] == ["police"]


def _payload():
    from .factories import hazard_payload

    return hazard_payload()
