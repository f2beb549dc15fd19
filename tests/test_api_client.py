"""A client generated from the OpenAPI document with openapi-python-client, as
an integrating system would (docs/api.md), drives a hidden hazard from
registration to closure, reads its documents and gets typed errors for the
refused actions, without a line of hand-written HTTP. Generation is local
(offline); the client talks to the project in-process through WSGI."""
import datetime as dt
import importlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.test.client import ClientHandler

from .factories import make_uscc

try:
    import httpx
    import openapi_python_client  # noqa: F401  (requirements-dev.txt)
except ImportError:  # CI (REQUIRE_SERVICES=1) fails rather than skip
    if os.environ.get("REQUIRE_SERVICES") == "1":
        raise
    pytest.skip("openapi-python-client is not installed", allow_module_level=True)

PACKAGE = "nankai_client"
# as docs/api.md has it: the workbooks and PDFs come as files (the generator knows only a few binary types)
CONFIG = f"""post_hooks: []
package_name_override: {PACKAGE}
content_type_overrides:
  application/vnd.openxmlformats-officedocument.spreadsheetml.sheet: application/octet-stream
  application/pdf: application/octet-stream
"""


def application(environ, start_response):
    """The project as a WSGI app through Django's test handler (the test's connection stays open)."""
    response = ClientHandler(enforce_csrf_checks=True)(environ)
    headers = [*response.items(), *(("Set-Cookie", c.output(header="").strip()) for c in response.cookies.values())]
    start_response(f"{response.status_code} {response.reason_phrase}", headers)
    return [response.content] if not response.streaming else response.streaming_content


@pytest.fixture(scope="module")
def generated(tmp_path_factory, django_db_blocker):
    """The client package, generated from the document as served."""
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        document = SchemaGenerator().get_schema(request=None, public=True)
    root = tmp_path_factory.mktemp("client")
    (root / "schema.json").write_text(json.dumps(document, default=str, ensure_ascii=False), encoding="utf-8")
    (root / "config.yaml").write_text(CONFIG, encoding="utf-8")
    generator = shutil.which("openapi-python-client", path=str(Path(sys.executable).parent))
    result = subprocess.run(
        [generator, "generate", "--path", str(root / "schema.json"), "--config", str(root / "config.yaml"),
         "--meta", "none", "--output-path", str(root / PACKAGE)],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(root))
        for name in [name for name in sys.modules if name == PACKAGE or name.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def _api(name):
    return importlib.import_module(f"{PACKAGE}.api.{name}")


def _models():
    return importlib.import_module(f"{PACKAGE}.models")


def login(generated, username):
    """A token from auth/token, and a client that sends it as the scheme says: ``Token <key>``."""
    models = _models()
    anonymous = generated.Client(base_url="http://testserver", httpx_args={"transport": httpx.WSGITransport(app=application)})
    token = _api("auth.auth_token_create").sync(client=anonymous, body=models.TokenIn(username=username,
                                                                                    password="pw-123456"))
    assert isinstance(token, models.TokenOut), token
    return generated.AuthenticatedClient(
        base_url="http://testserver", token=token.token, prefix="Token",
        httpx_args={"transport": httpx.WSGITransport(app=application)},
    )


def the_task(client, box, case_id, step):
    tasks = _api("tasks.tasks_list").sync(client=client, box=_models().TasksListBox(box))
    found = [task for task in tasks.results if task.case == case_id and task.step == step]
    assert len(found) == 1, [(task.case, task.step) for task in tasks.results]
    return found[0]


def complete(client, task_id, body):
    models = _models()
    done = _api("tasks.tasks_complete_create").sync(client=client, task_id=task_id, body=body)
    assert isinstance(done, models.CompleteOut), done
    return done


def test_a_generated_client_walks_a_hazard_to_closure(generated, street_officer, lead_officer, lead_officer2,
                                                      lead_leader, future_date):
    models = _models()
    street, lead, lead2, leader = (login(generated, user.username)
                                   for user in (street_officer, lead_officer, lead_officer2, lead_leader))

    # refused: a wrong credit code comes back as a typed Error naming the field
    refused = _api("cases.cases_create").sync(client=street, body=models.CaseIn(
        kind=models.CaseInKindEnum.HAZARD, title="储罐区未设置紧急切断装置", address="南开区长虹路1号", street="changhong",
        enterprise=models.EnterpriseIn(name="天津某化工有限公司", uscc=make_uscc(7)[:-1] + ("0" if make_uscc(7)[-1] != "0" else "1"))))
    assert isinstance(refused, models.Error)
    assert refused.error.code == "invalid" and "enterprise.uscc" in refused.error.fields.additional_properties

    case = _api("cases.cases_create").sync(client=street, body=models.CaseIn(
        kind=models.CaseInKindEnum.HAZARD, title="储罐区未设置紧急切断装置", description="液氨储罐区紧急切断阀未投用",
        address="南开区长虹路1号", street="changhong",
        enterprise=models.EnterpriseIn(name="天津某化工有限公司", uscc=make_uscc(7))))
    assert isinstance(case, models.CaseDetail), case
    assert case.open_tasks[0].step == "verify" and case.open_tasks[0].assignee is None

    # the queue, claimed; another officer's claim is a typed 409
    verify = the_task(lead, "queue", case.id, "verify")
    claimed = _api("tasks.tasks_claim_create").sync(client=lead, task_id=verify.id)
    assert isinstance(claimed, models.Task) and claimed.assignee == lead_officer.username
    held = _api("tasks.tasks_claim_create").sync(client=lead2, task_id=verify.id)
    assert isinstance(held, models.Error) and held.error.code == "task_held"

    complete(lead, verify.id, models.CompleteConfirm(action=models.CompleteConfirmAction.CONFIRM,
                                                     grade=models.CompleteConfirmGrade.GENERAL, note="现场核实属实"))
    order = the_task(lead, "queue", case.id, "order")
    # a past deadline: refused, with the field named, and nothing changed
    past = _api("tasks.tasks_complete_create").sync(client=lead, task_id=order.id, body=models.CompleteIssue(
        action=models.CompleteIssueAction.ISSUE, deadline=dt.date(2000, 1, 1),
        measures="加装紧急切断阀"))
    assert isinstance(past, models.Error) and "deadline" in past.error.fields.additional_properties
    done = complete(lead, order.id, models.CompleteIssue(
        action=models.CompleteIssueAction.ISSUE, deadline=dt.date.fromisoformat(future_date), measures="加装紧急切断阀",
        responsible_person="张三", funds="20万元", contingency_plan="停用储罐"))
    assert done.case.state.value == "rectifying" and [t.step for t in done.next_tasks] == ["rectify"]

    rectify = the_task(lead, "queue", case.id, "rectify")
    complete(lead, rectify.id, models.CompleteSubmit(action=models.CompleteSubmitAction.SUBMIT, report="已加装并调试"))
    review = the_task(lead2, "queue", case.id, "review")
    complete(lead2, review.id, models.CompletePass(action=models.CompletePassAction.PASS, note="复核合格"))
    close = the_task(leader, "queue", case.id, "close")
    done = complete(leader, close.id, models.CompleteApprove(action=models.CompleteApproveAction.APPROVE,
                                                            note="同意销号"))
    assert done.case.state.value == "closed" and done.next_tasks == [] and done.case.open_tasks == []

    history = _api("cases.cases_history_list").sync(client=leader, case_id=case.id)
    assert [row.action for row in history][-1] == "approve"
    documents = _api("cases.cases_documents_list").sync(client=leader, case_id=case.id)
    assert documents and all(isinstance(document, models.Document) for document in documents)
    one = _api("documents.documents_retrieve").sync(client=leader, document_id=str(documents[0].id))
    assert isinstance(one, models.DocumentDetail) and one.number == documents[0].number
    pdf = _api("documents.documents_pdf_retrieve").sync(client=leader, document_id=str(documents[0].id))
    assert pdf.payload.read(5) == b"%PDF-"

    # absent or not visible: a typed 404; no token: a typed 401
    assert isinstance(_api("cases.cases_retrieve").sync(client=leader, case_id=10**9), models.Error)
    anonymous = generated.Client(base_url="http://testserver",
                                 httpx_args={"transport": httpx.WSGITransport(app=application)})
    unauthenticated = _api("me.me_retrieve").sync_detailed(client=anonymous)
    assert unauthenticated.status_code == 401 and unauthenticated.parsed.error.code == "unauthenticated"
    me = _api("me.me_retrieve").sync(client=lead)
    assert me.agency.code == "emergency" and me.agency.kind


def test_a_generated_client_registers_a_kind_with_fields_of_its_own_and_closes_it(generated):
    """A roadside check (路检路查): the kind's own registration fields and its steps' bodies, from the schema."""
    from .factories import officer

    models = _models()
    traffic = officer("traffic", username="tr_client1")
    officer("traffic", role="leader", username="tr_client_leader")
    checker, leader = login(generated, "tr_client1"), login(generated, "tr_client_leader")
    case = _api("cases.cases_create").sync(client=checker, body=models.CaseIn(
        kind=models.CaseInKindEnum.TRANSPORT, title="危险货物运输车辆路检", description="例行路检",
        address="南开区红旗南路", street="huayuan", vehicle_plate="津B54321", un_number="1203", cargo_name="汽油",
        carrier_name="天津某危险货物运输有限公司", carrier_uscc=make_uscc(22), shipper_name="天津某石化销售公司",
        driver="李某", escort="", location="红旗南路与卫津南路交口", violations=["no_escort"],
        measures="责令停车，联系押运人员到场"))
    assert isinstance(case, models.CaseDetail), case
    assert case.kind == "transport" and case.open_tasks[0].step == "verify"
    verify = case.open_tasks[0]
    complete(checker, verify.id, models.CompleteConfirm(
        action=models.CompleteConfirmAction.CONFIRM, measure=models.CompleteConfirmMeasure.CORRECTED, joint=False))
    close = the_task(leader, "queue", case.id, "close")
    done = complete(leader, close.id, models.CompleteApprove(action=models.CompleteApproveAction.APPROVE))
    assert done.case.state.value == "closed" and traffic.username in {
        row.actor for row in _api("cases.cases_history_list").sync(client=leader, case_id=case.id)}


def test_a_generated_client_works_a_waste_referral_through_a_parallel_consultation(generated, street_officer,
                                                                                   lead_officer, future_date):
    """Led by the ecology bureau, the emergency bureau consulted alongside; the rectification's manifest
    number, which only this kind's step asks for, is named by the typed 400 when it is left out."""
    from .factories import officer

    models = _models()
    for username, role in (("eco_client1", "officer"), ("eco_client2", "officer"), ("eco_client_leader", "leader")):
        officer("ecology", role=role, username=username)
    street, emergency = login(generated, street_officer.username), login(generated, lead_officer.username)
    eco1, eco2, eco_leader = (login(generated, name) for name in ("eco_client1", "eco_client2", "eco_client_leader"))
    case = _api("cases.cases_create").sync(client=street, body=models.CaseIn(
        kind=models.CaseInKindEnum.WASTE_REFERRAL, title="废弃危化品桶堆放", address="南开区长虹路1号",
        street="changhong", enterprise=models.EnterpriseIn(name="天津某化工有限公司", uscc=make_uscc(31))))
    assert isinstance(case, models.CaseDetail), case
    assert case.lead_agency == "ecology"
    complete(eco1, the_task(eco1, "queue", case.id, "verify").id,
             models.CompleteConfirm(action=models.CompleteConfirmAction.CONFIRM, note="属危险废物"))
    for client in (eco1, emergency):
        complete(client, the_task(client, "queue", case.id, "consult").id,
                 models.CompleteAgree(action=models.CompleteAgreeAction.AGREE, opinion="同意"))
    complete(eco1, the_task(eco1, "queue", case.id, "order").id, models.CompleteIssue(
        action=models.CompleteIssueAction.ISSUE, deadline=dt.date.fromisoformat(future_date),
        disposal_unit="天津合佳威立雅环境服务有限公司", measures="委托有资质单位处置"))
    rectify = the_task(eco1, "queue", case.id, "rectify")
    missing = _api("tasks.tasks_complete_create").sync(client=eco1, task_id=rectify.id, body=models.CompleteSubmit(
        action=models.CompleteSubmitAction.SUBMIT, report="已转移"))
    assert isinstance(missing, models.Error) and "manifest_no" in missing.error.fields.additional_properties
    complete(eco1, rectify.id, models.CompleteSubmit(action=models.CompleteSubmitAction.SUBMIT, report="已转移处置",
                                                     manifest_no="1201042026110001"))
    complete(eco2, the_task(eco2, "queue", case.id, "review").id,
             models.CompletePass(action=models.CompletePassAction.PASS))
    done = complete(eco_leader, the_task(eco_leader, "queue", case.id, "close").id,
                    models.CompleteApprove(action=models.CompleteApproveAction.APPROVE))
    assert done.case.state.value == "closed"


def test_a_generated_client_bans_an_illegal_site_and_refers_it_to_the_police(
        generated, street_officer, lead_officer, lead_officer2, lead_leader, police_officer, future_date):
    """Three agencies inspect in parallel; the ban with a referral goes to the head, then to the police."""
    models = _models()
    street, lead, lead2, leader, police = (login(generated, user.username) for user in (
        street_officer, lead_officer, lead_officer2, lead_leader, police_officer))
    case = _api("cases.cases_create").sync(client=street, body=models.CaseIn(
        kind=models.CaseInKindEnum.ILLEGAL_SITE, title="居民楼内私存危险化学品", address="南开区长虹路2号",
        street="changhong"))
    assert isinstance(case, models.CaseDetail), case
    complete(lead, the_task(lead, "queue", case.id, "verify").id,
             models.CompleteConfirm(action=models.CompleteConfirmAction.CONFIRM, note="现场核实"))
    for client in (lead, police, street):
        complete(client, the_task(client, "queue", case.id, "inspect").id,
                 models.CompleteRecord(action=models.CompleteRecordAction.RECORD, findings="存放约200升甲苯"))
    complete(lead, the_task(lead, "queue", case.id, "decide").id, models.CompleteBan(
        action=models.CompleteBanAction.BAN, measures="立即取缔，清运危化品", deadline=dt.date.fromisoformat(future_date),
        refer_police=True, referral_reason="涉嫌非法储存危险物质罪",
        documents=[models.CompleteBanDocumentsItem("transfer_letter"),
                   models.CompleteBanDocumentsItem("investigation_report")]))
    approval = the_task(leader, "queue", case.id, "approve_referral")
    refused = _api("tasks.tasks_complete_create").sync(client=lead, task_id=approval.id, body=models.CompleteApprove(
        action=models.CompleteApproveAction.APPROVE))
    assert isinstance(refused, models.Error) and refused.error.code in ("forbidden", "not_your_task")
    complete(leader, approval.id, models.CompleteApprove(action=models.CompleteApproveAction.APPROVE))
    accepted = complete(police, the_task(police, "queue", case.id, "police_review").id, models.CompleteAccept(
        action=models.CompleteAcceptAction.ACCEPT, police_case_no="津公南刑2026-0815"))
    assert accepted.case.referrals and accepted.case.referrals[0].police_case_no == "津公南刑2026-0815"
    complete(lead, the_task(lead, "queue", case.id, "rectify").id,
             models.CompleteSubmit(action=models.CompleteSubmitAction.SUBMIT, report="已清运并拆除"))
    complete(lead2, the_task(lead2, "queue", case.id, "review").id,
             models.CompletePass(action=models.CompletePassAction.PASS, note="回头看未发现复燃"))
    done = complete(leader, the_task(leader, "queue", case.id, "close").id,
                    models.CompleteApprove(action=models.CompleteApproveAction.APPROVE))
    assert done.case.state.value == "closed"


def test_a_generated_client_takes_a_penalty_from_filing_to_closing(generated, lead_officer, lead_officer2,
                                                                   lead_leader):
    """行政处罚: filed, investigated, reviewed, notified, answered, decided after the notice's period, served,
    paid and closed, each step's body a model of the generated client."""
    import time_machine
    from django.utils import timezone

    from .factories import officer

    models = _models()
    officer("emergency", username="em_client3")
    o1, o2, leader, o3 = (login(generated, name) for name in (
        lead_officer.username, lead_officer2.username, lead_leader.username, "em_client3"))
    case = _api("cases.cases_create").sync(client=o1, body=models.CaseIn(
        kind=models.CaseInKindEnum.PENALTY, title="未按规定专库储存危险化学品", description="危险化学品未储存在专用仓库内",
        address="南开区长虹路8号", street="changhong", source="执法检查",
        enterprise=models.EnterpriseIn(name="天津某贸易有限公司", uscc=make_uscc(8))))
    assert isinstance(case, models.CaseDetail), case

    def step(client, name, body):
        return complete(client, the_task(client, "queue", case.id, name).id, body)

    step(leader, "file", models.CompleteApprove(action=models.CompleteApproveAction.APPROVE, note="同意立案"))
    step(o1, "investigate", models.CompleteSubmit(
        action=models.CompleteSubmitAction.SUBMIT, co_officer=lead_officer2.username, findings="未专库储存",
        evidence="现场检查笔录、询问笔录、照片", provisions=["hcsr-80"]))
    step(o3, "legal_review", models.CompletePass(action=models.CompletePassAction.PASS,
                                                 opinion="事实清楚，证据确凿，适用依据正确"))
    step(o1, "notify", models.CompleteNotify(action=models.CompleteNotifyAction.NOTIFY, provision="hcsr-80",
                                             amount=60000, reasons="未将危险化学品储存在专用仓库内"))
    step(o1, "answer", models.CompleteStatement(action=models.CompleteStatementAction.STATEMENT,
                                                statement="已整改，请求从轻", adopted=False))
    with time_machine.travel(timezone.now() + dt.timedelta(days=10), tick=False):
        today = timezone.localdate()
        # ten days on, the tokens of a week ago have expired: a typed 401, and a new login
        expired = _api("tasks.tasks_list").sync_detailed(client=o1, box=models.TasksListBox.QUEUE)
        assert expired.status_code == 401 and expired.parsed.error.code == "unauthenticated"
        o1, o2, leader = (login(generated, user.username) for user in (lead_officer, lead_officer2, lead_leader))
        step(o1, "decide", models.CompleteDecide(
            action=models.CompleteDecideAction.DECIDE, provision="hcsr-80", amount=55000, reasons="事实清楚",
            discussed_on=today, discussion="局长、分管副局长、法规科：同意罚款5.5万元"))
        step(o1, "serve", models.CompleteServed(action=models.CompleteServedAction.SERVED, served_on=today,
                                                method=models.CompleteServedMethod.DIRECT, recipient="张经理"))
        step(o2, "execute", models.CompletePaid(action=models.CompletePaidAction.PAID, receipt_no="PJ2026000123",
                                                paid_on=today, amount_paid=55000))
        done = step(leader, "close", models.CompleteApprove(action=models.CompleteApproveAction.APPROVE))
    assert done.case.state.value == "closed"
    types = {document.type_ for document in _api("cases.cases_documents_list").sync(client=leader, case_id=case.id)}
    assert {"filing_approval", "penalty_notice", "penalty_decision", "closing_approval"} <= types
