"""The enterprise register through the API (docs/register.md): the file with
its parts, check digits refused in the error format, case registration linked
by USCC, visibility by agency, and the public safety card."""
import pytest
from rest_framework.test import APIClient

from cases.models import Case, Enterprise
from org.models import User
from register.models import Product

from .boundary import is_error_format, snapshot
from .conftest import Api
from .factories import enterprise_payload, hazard_payload, make_uscc, officer, register_enterprise
from .scenarios import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def keeper():
    return officer("emergency", username="reg_keeper")


def test_the_emergency_bureau_enters_an_enterprise_with_its_parts(keeper):
    response = Api(keeper).post("enterprises", enterprise_payload(7))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["uscc"] == make_uscc(7) and body["street"] == "street_changhong" and body["risk"] == "orange"
    assert body["activities"] == ["storage", "operation"]
    assert body["location"] == {"lat": 39.1204, "lng": 117.1503}
    assert body["licences"][0]["expired"] is False and body["installations"] == [{"name": "液氨储罐区", "level": 3}]
    product = body["products"][0]
    assert product["cas"] == "7664-41-7" and product["un_number"] == "1005" and len(product["code"]) == 12
    again = Api(keeper).post("enterprises", enterprise_payload(7))
    assert is_error_format(again, 409)


@pytest.mark.parametrize("change, field", [
    ({"uscc": "91110108551385082A"}, "uscc"),
    ({"uscc": "9111010855138508"}, "uscc"),
    ({"products": [{"name": "液氨", "cas": "7664-41-8"}]}, "products.0.cas"),
    ({"products": [{"name": "液氨", "un_number": "10056"}]}, "products.0.un_number"),
    ({"products": [{"name": "液氨"}, {"name": "液氨"}]}, "products"),
    ({"licences": [{"type": "t", "number": "n", "valid_to": "2027-02-30"}]}, "licences.0.valid_to"),
    ({"installations": [{"name": "罐区", "level": 5}]}, "installations.0.level"),
    ({"risk": "purple"}, "risk"),
    ({"street": "nowhere"}, "street"),
    ({"activities": ["smuggling"]}, "activities"),
    ({"name": "a\x00b"}, "name"),
    ({"location": {"lat": 91, "lng": 0}}, "location"),
])
def test_bad_input_is_refused_in_the_error_format_and_changes_nothing(keeper, change, field):
    before = snapshot()
    response = Api(keeper).post("enterprises", enterprise_payload(8, **change))
    assert is_error_format(response, 400), response.content
    assert field in response.json()["error"]["fields"], response.json()
    assert snapshot() == before and not Enterprise.objects.exists() and not Product.objects.exists()


def test_only_the_register_keepers_write(street_officer):
    response = Api(street_officer).post("enterprises", enterprise_payload(9))
    assert is_error_format(response, 403)
    assert not Enterprise.objects.exists()


def test_patch_changes_the_fields_given_and_keeps_the_product_code(keeper):
    enterprise = register_enterprise(10)
    code = enterprise.products.get().code
    client = APIClient()
    client.force_authenticate(keeper)
    response = client.patch(f"/api/v1/enterprises/{enterprise.uscc}", {
        "risk": "red", "products": [{"name": "液氨", "cas": "7664-41-7", "max_stock": 30}, {"name": "甲醇",
                                                                                         "cas": "67-56-1"}]},
        format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["risk"] == "red" and body["address"] == "南开区长虹路10号"
    codes = {p["name"]: p["code"] for p in body["products"]}
    assert codes["液氨"] == code and len(codes) == 2
    assert client.patch(f"/api/v1/enterprises/{enterprise.uscc}", {"uscc": make_uscc(11)},
                        format="json").status_code == 400


def test_a_case_for_a_known_enterprise_takes_its_name_and_address(street_officer, lead_officer):
    enterprise = register_enterprise(12)
    payload = hazard_payload(enterprise={"uscc": enterprise.uscc})
    payload.pop("address")
    case = Api(street_officer).post("cases", payload).json()
    assert case["enterprise"] == {"name": enterprise.name, "uscc": enterprise.uscc}
    assert case["address"] == enterprise.address
    # a differing name is noted in the history, not refused, and makes no duplicate
    other = register(street_officer, enterprise={"uscc": enterprise.uscc, "name": "别的名字"})
    assert Enterprise.objects.filter(uscc=enterprise.uscc).count() == 1
    history = Api(street_officer).get(f"cases/{other['id']}/history").json()
    assert other["enterprise"]["name"] == enterprise.name
    assert Case.objects.get(pk=other["id"]).history.get(action="register").data == {
        "enterprise_name_given": "别的名字"}
    assert history[0]["action"] == "register"
    listed = Api(lead_officer).get(f"enterprises/{enterprise.uscc}/cases").json()
    assert [row["id"] for row in listed["results"]] == [other["id"], case["id"]]


def test_an_unknown_code_becomes_a_draft_entry(street_officer, lead_officer):
    case = register(street_officer, enterprise={"uscc": make_uscc(13), "name": "新发现的企业"})
    enterprise = Enterprise.objects.get(uscc=make_uscc(13))
    assert enterprise.draft and enterprise.name == "新发现的企业" and enterprise.street.code == "street_changhong"
    assert Api(street_officer).post("cases", hazard_payload(enterprise={"uscc": make_uscc(14)})).status_code == 400
    # the register completes the draft
    response = Api(lead_officer).post("enterprises", enterprise_payload(13))
    assert response.status_code == 201 and response.json()["draft"] is False
    assert Case.objects.get(pk=case["id"]).enterprise_id == enterprise.pk


def test_visibility_by_agency(street_officer, other_officer, lead_officer, supervisor):
    changhong = register_enterprise(15)
    gulou = register_enterprise(16, street="gulou")
    case = register(officer("street_gulou", username="gulou1"), street="gulou", enterprise={"uscc": gulou.uscc})
    seen = {user.username: {row["uscc"] for row in Api(user).get("enterprises").json()["results"]}
            for user in (street_officer, lead_officer, supervisor, other_officer)}
    assert seen[street_officer.username] == {changhong.uscc}  # its street; the gulou case is not its own
    assert seen[lead_officer.username] == seen[supervisor.username] == {changhong.uscc, gulou.uscc}
    assert seen[other_officer.username] == set()
    assert is_error_format(Api(other_officer).get(f"enterprises/{changhong.uscc}"), 404)
    assert is_error_format(Api(street_officer).get(f"enterprises/{gulou.uscc}"), 404)
    police = officer("police", username="police_reg")
    assert Api(police).get(f"enterprises/{gulou.uscc}").status_code == 404
    Case.objects.get(pk=case["id"]).participants.add(police.agency)
    from cases.services import grant_access

    grant_access(case_id=case["id"], agency_ids=[police.agency_id])
    assert Api(police).get(f"enterprises/{gulou.uscc}").status_code == 200


def test_filters(lead_officer):
    register_enterprise(17, risk="red", activities=["production"])
    register_enterprise(18, risk="blue", street="gulou", licences=[
        {"type": "安全生产许可证", "number": "x", "valid_to": "2020-01-01"}])
    api = Api(lead_officer)

    def usccs(**params):
        response = api.get("enterprises", **params)
        assert response.status_code == 200, response.json()
        return {row["uscc"] for row in response.json()["results"]}

    assert usccs(risk="red") == {make_uscc(17)}
    assert usccs(street="gulou") == {make_uscc(18)}
    assert usccs(activity="production") == {make_uscc(17)}
    assert usccs(licence_expiring="true") == {make_uscc(18)}
    assert usccs(q="第17") == {make_uscc(17)}
    assert usccs(open_hazards="1") == set()
    for bad in ({"risk": "purple"}, {"street": "x"}, {"licence_expiring": "maybe"}, {"activity": "x"}):
        assert is_error_format(api.get("enterprises", **bad), 400)
    row = api.get("enterprises", risk="blue").json()["results"][0]
    assert row["expired_licences"] == 1


def test_the_safety_card_needs_no_login_and_shows_nothing_else():
    enterprise = register_enterprise(19)
    product = enterprise.products.get()
    response = APIClient().get(f"/api/v1/codes/{product.code}")
    assert response.status_code == 200
    card = response.json()
    assert card["name"] == "液氨" and card["emergency_phone"] == "022-27000000" and card["enterprise"] == enterprise.name
    assert not {"cases", "legal_representative", "safety_contact", "phone", "uscc"} & set(card)
    assert is_error_format(APIClient().get("/api/v1/codes/AAAAAAAAAAAA"), 404)
    assert is_error_format(APIClient().get("/api/v1/codes/x"), 404)


def test_a_user_without_agency_sees_no_enterprise():
    register_enterprise(20)
    user = User.objects.create_user("noagency", password="pw-123456")
    assert Api(user).get("enterprises").json()["results"] == []
