"""Run by tests/test_flows_plugin_kind.py with EXTRA_KIND_APPS set: the
plugged-in kind registers, is worked from the queue to closure, and shows in
every list that names the kinds, with no other file changed."""
import io

from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from cases.models import Case
from tests.conftest import Api
from tests.factories import officer
from tests.scenarios import complete


def test_a_kind_in_a_module_of_its_own(client):
    street, em = officer("street_changhong"), officer("emergency", username="em_plug")
    leader = officer("emergency", role="leader", username="em_plug_leader")
    # the kinds' checks (a missing piece of the new kind fails them); not the calendar's, which
    # rightly fails a year whose holiday notice is not entered (a suite run with its clock moved)
    call_command("check", tags=["flows"], databases=["default"], fail_level="ERROR")
    created = Api(street).post("cases", {"kind": "licence_check", "title": "经营许可证过期", "address": "南开区某路1号",
                                         "street": "changhong"})
    assert created.status_code == 201, created.json()
    case = created.json()
    assert case["number"].startswith("NK-LC-") and case["lead_agency"] == "emergency"
    queue = Api(em).get("tasks", box="queue").json()["results"]
    assert [row["case"] for row in queue] == [case["id"]]
    complete(em, case["id"], "verify", "confirm", note="核实属实")
    complete(leader, case["id"], "close", "approve")
    assert Case.objects.get(pk=case["id"]).state == "closed"

    client.force_login(leader)
    assert "经营许可核查" in client.get(f"/cases/{case['id']}/").content.decode()
    assert "经营许可核查" in client.get("/cases/new/").content.decode()
    assert "经营许可核查" in client.get("/plan/dashboard/").content.decode()
    period = f"{timezone.localdate():%Y-%m}"
    stats = Api(leader).get("stats", period=period).json()
    assert any(row["key"] == "licence_check" for row in stats["by_kind"])
    book = load_workbook(io.BytesIO(Api(leader).get("reports/monthly.xlsx", period=period).content))
    assert any(row[1] == "经营许可核查" for row in book["案件统计"].iter_rows(values_only=True))
    assert "licence_check" in Api(leader).get("schema", format="json").content.decode()
