"""Hazmat road transport (路检路查): the traffic police's roadside check,
joint punishment (联合惩戒) by the agencies the violations concern, closure by
a traffic leader; a penalty case opened from the check."""
import pytest

from cases.models import Case
from enforcement.models import Document
from org.models import Agency

from .conftest import Api
from .factories import make_uscc, officer
from .scenarios import complete, open_tasks, register, task_id


def check_payload(**overrides) -> dict:
    payload = {
        "kind": "transport", "title": "危险货物运输车辆路检", "description": "例行路检", "address": "南开区红旗南路",
        "street": "huayuan", "vehicle_plate": "津A12345", "un_number": "1203", "cargo_name": "汽油",
        "carrier_name": "天津某危险货物运输有限公司", "carrier_uscc": make_uscc(21), "shipper_name": "天津某石化销售公司",
        "driver": "李某", "escort": "", "location": "红旗南路与卫津南路交口", "violations": ["no_escort", "documents"],
        "measures": "责令停车，联系押运人员到场",
    }
    payload.update(overrides)
    return payload


@pytest.fixture
def traffic():
    return {"o1": officer("traffic", username="tr_officer1"), "o2": officer("traffic", username="tr_officer2"),
            "leader": officer("traffic", role="leader", username="tr_leader")}


def test_the_road_transport_bureau_is_an_agency():
    bureau = Agency.objects.get(code="transport")
    assert bureau.name == "区交通运输局" and bureau.kind == "bureau" and bureau.committee_member


def test_roadside_check_walks_through_joint_punishment_to_closure(traffic, lead_officer):
    transport_officer = officer("transport", username="yun_officer")
    case = register(traffic["o1"], **check_payload())
    assert case["number"].startswith("NK-TR-") and case["lead_agency"] == "traffic"
    assert case["details"]["un_number"] == "UN1203" and case["details"]["vehicle_plate"] == "津A12345"

    complete(traffic["o1"], case["id"], "verify", "confirm", co_officer="tr_officer2", measure="corrected", joint=True)
    punish = open_tasks(case["id"], "punish")
    assert sorted(t.agency.code for t in punish) == ["emergency", "transport"]  # the carrier; the shipper (documents)
    record = Document.objects.get(case_id=case["id"], type="roadside_check_record")
    assert record.facts["vehicle_plate"] == "津A12345" and "无押运人员" in record.facts["violations"]

    # an agency the violations do not concern has no task and does not see the case
    ecology = officer("ecology", username="eco_officer")
    emergency_task = task_id(case["id"], "punish", "emergency")
    assert Api(ecology).post(f"tasks/{emergency_task}/complete", {"action": "none", "reason": "x"}).status_code == 404
    # nor does one agency answer for another
    assert Api(transport_officer).post(f"tasks/{emergency_task}/complete",
                                       {"action": "none", "reason": "x"}).status_code == 403

    complete(transport_officer, case["id"], "punish", "punish", queue="transport", measures="纳入失信联合惩戒名单",
             document="南开交运罚〔2026〕3号")
    complete(lead_officer, case["id"], "punish", "none", queue="emergency", reason="托运单位不在本区")
    close = task_id(case["id"], "close")
    assert Api(traffic["o1"]).post(f"tasks/{close}/complete", {"action": "approve"}).status_code == 403
    complete(traffic["leader"], case["id"], "close", "approve")
    assert Case.objects.get(pk=case["id"]).state == "closed"


def test_a_spill_brings_in_the_ecology_bureau_and_no_joint_punishment_goes_straight_to_closure(traffic):
    spill = register(traffic["o1"], **check_payload(violations=["packaging"], spill=True))
    complete(traffic["o1"], spill["id"], "verify", "confirm", measure="detained", joint=True)
    assert sorted(t.agency.code for t in open_tasks(spill["id"], "punish")) == ["ecology", "emergency", "transport"]

    corrected = register(traffic["o1"], **check_payload(vehicle_plate="津B54321", carrier_uscc=make_uscc(22)))
    complete(traffic["o1"], corrected["id"], "verify", "confirm", measure="corrected", joint=False)
    assert open_tasks(corrected["id"], "punish") == [] and task_id(corrected["id"], "close")


def test_a_check_without_violations_asks_no_one_and_is_dismissed(traffic):
    case = register(traffic["o1"], **check_payload(violations=[]))
    verify = task_id(case["id"], "verify")
    response = Api(traffic["o1"]).post(f"tasks/{verify}/complete",
                                       {"action": "confirm", "measure": "corrected", "joint": True})
    assert response.status_code == 400 and "joint" in response.json()["error"]["fields"]
    complete(traffic["o1"], case["id"], "verify", "dismiss", reason="未发现违法行为")
    assert Case.objects.get(pk=case["id"]).state == "dismissed"


def test_registration_checks_the_plate_the_un_number_and_the_carrier(traffic):
    response = Api(traffic["o1"]).post("cases", check_payload(vehicle_plate="ABC", un_number="12", carrier_uscc="1"))
    assert response.status_code == 400
    assert {"vehicle_plate", "un_number", "carrier_uscc"} <= set(response.json()["error"]["fields"])


def test_repeat_offenders_are_shown(traffic):
    register(traffic["o1"], **check_payload())
    again = register(traffic["o1"], **check_payload(vehicle_plate="津C11111"))  # same carrier, another vehicle
    facts = {row["label"]: row["value"] for row in again["facts"]}
    assert any("1" in value for label, value in facts.items() if "Earlier" in label or "此前" in label)


def test_a_penalty_opened_from_the_check_is_linked(traffic):
    case = register(traffic["o1"], **check_payload())
    penalty = register(traffic["o1"], kind="penalty", title="未配备押运人员", address="南开区红旗南路", street="huayuan",
                       enterprise={"name": "天津某危险货物运输有限公司", "uscc": make_uscc(21)}, source_case=case["id"])
    assert penalty["lead_agency"] == "traffic"
    assert [c["number"] for c in Api(traffic["o2"]).get(f"cases/{case['id']}").json()["linked_cases"]] == \
        [penalty["number"]]


def test_the_pages_of_a_check_are_in_chinese(traffic):
    from django.test import Client

    client = Client()
    client.force_login(traffic["o1"])
    form = client.get("/cases/new/?kind=transport").content.decode()
    assert "车辆号牌" in form and "货物联合国编号" in form and "无押运人员" in form
    case = register(traffic["o1"], **check_payload())
    page = client.get(f"/tasks/{task_id(case['id'], 'verify')}/").content.decode()
    assert "提请相关单位联合惩戒" in page and "当场纠正" in page
    case_page = client.get(f"/cases/{case['id']}/").content.decode()
    assert "津A12345" in case_page and "随车单证不全" in case_page and "no_escort" not in case_page
    assert "由本案转立行政处罚案件" in case_page


def test_the_dashboard_names_the_kinds_in_chinese(traffic):
    from django.test import Client

    register(traffic["o1"], **check_payload())
    client = Client()
    client.force_login(traffic["leader"])
    html = client.get("/plan/dashboard/").content.decode()
    assert "危险货物道路运输" in html and ">transport<" not in html


def test_the_roadside_check_record_is_drawn_as_pdf(traffic, settings, tmp_path):
    from .documents import pdf_text

    settings.MEDIA_ROOT = tmp_path
    case = register(traffic["o1"], **check_payload())
    complete(traffic["o1"], case["id"], "verify", "confirm", co_officer="tr_officer2", measure="detained", joint=True)
    text = "".join(pdf_text(Document.objects.get(case_id=case["id"], type="roadside_check_record")).split())
    assert "路检路查记录" in text and "津A12345" in text and "UN1203" in text and "扣留车辆并移交处理" in text


def test_each_kind_names_its_states_in_its_own_words(traffic):
    from django.test import Client

    case = register(traffic["o1"], **check_payload())
    complete(traffic["o1"], case["id"], "verify", "confirm", measure="corrected", joint=True)
    client = Client()
    client.force_login(traffic["o1"])
    html = client.get(f"/cases/{case['id']}/").content.decode()
    assert "联合惩戒中" in html and "会商中" not in html
    complete(officer("transport", username="yun_o"), case["id"], "punish", "none", queue="transport", reason="x")
    complete(officer("emergency", username="em_o"), case["id"], "punish", "none", queue="emergency", reason="x")
    complete(traffic["leader"], case["id"], "close", "approve")
    html = client.get(f"/cases/{case['id']}/").content.decode()
    assert "已办结" in html and "已销号" not in html
