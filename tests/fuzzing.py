"""What the fuzz suites (tests/test_fuzz_*.py) share: a small world of cases,
tasks at several steps, a report and evidence; Hypothesis strategies that
favour the values testers broke the system with; and one check per example:
the answer is never 5xx, and a refused answer changed nothing.

The profile is fixed so CI stays within time: derandomized (the same examples
on every run, no example database), a bounded number of examples per
endpoint, no per-example deadline. ``FUZZ_EXAMPLES`` in the environment
raises the count for a deeper local run."""
import datetime as dt
import io
import os
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from PIL import Image

from org.models import User

from .boundary import snapshot
from .factories import make_uscc, officer
from .scenarios import complete, register, task_id

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))

settings.register_profile(
    "fuzz", derandomize=True, database=None, deadline=None, max_examples=EXAMPLES, print_blob=False,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much,
                           HealthCheck.data_too_large, HealthCheck.large_base_example],
)
PROFILE = settings.get_profile("fuzz")


# --- values -------------------------------------------------------------------------
NASTY = [
    "", " ", "\x00", "a\x00b", "\ud800", "x\udfff", "\x1b[31m", "²", "①", "١", "0", "-1", "1e309", "NaN",
    "9999-12-31", "0001-01-01", "0000-01", "9999-12", "2026-13", "2026-02-30", "2026-11", "2027-01-15",
    "general", "major", "hazard", "monthly", "changhong", "street_changhong", "emergency", "police",
    "true", "false", "on", "[]", "{}", "null", "' OR 1=1 --", "<script>alert(1)</script>", "../../etc/passwd",
    "液氨储罐区未设置紧急切断装置", "x" * 301, "长" * 5001,
]

page_text = st.one_of(
    st.sampled_from([v for v in NASTY if not any("\ud800" <= c <= "\udfff" for c in v)]),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=40),  # a browser sends no lone surrogates
)
api_text = st.one_of(st.sampled_from(NASTY), st.text(max_size=40),
                     st.text(st.characters(categories=["Cc", "Cs"]), min_size=1, max_size=5))
scalar = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
                   st.floats(allow_nan=True, allow_infinity=True), api_text)
json_value = st.recursive(scalar, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                           st.dictionaries(api_text, inner, max_size=3)),
                          max_leaves=6)


def body_for(*keys: str, extra: dict | None = None):
    """A JSON body: mostly an object with the endpoint's keys (each maybe left
    out, each any value, the plausible ones favoured), sometimes anything at all."""
    plausible = {key: st.one_of(json_value, (extra or {}).get(key, api_text)) for key in keys}
    objects = st.fixed_dictionaries({}, optional=plausible)
    return st.one_of(objects, objects, objects, json_value)


def ids(*real: int):
    """An id for a path: one of the world's, or anything."""
    return st.one_of(st.sampled_from([str(i) for i in real]), st.sampled_from(["0", "²", "①", "١", "-1", "1.0",
                     "99999999999999999999", "%00", "%ED%A0%80", "abc"]), st.text(max_size=6))


def image_bytes(kind: str, size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, kind)
    return buffer.getvalue()


def jpeg_with(taken="2026:11:20 10:30:00", gps: dict | None = None) -> bytes:
    image = Image.new("RGB", (8, 8), "red")
    exif = Image.Exif()
    exif.get_ifd(0x8769)[36867] = taken
    for key, value in (gps or {}).items():
        exif.get_ifd(0x8825)[key] = value
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def files():
    """(name, content) of an upload: good, broken, lying or bomb-like."""
    from .test_input_evidence import png_claiming

    contents = st.one_of(
        st.sampled_from([image_bytes("PNG"), image_bytes("JPEG"), b"%PDF-1.7\n%%EOF\n", png_claiming(65000, 65000),
                         jpeg_with(taken="0001:01:01 00:00:00"), jpeg_with(gps={1: "N", 2: (200.0, 0.0, 0.0),
                                                                                3: "E", 4: (500.0, 0.0, 0.0)}),
                         b"\xff\xd8\xff\xe0" + b"\x00" * 32, b"MZ\x90\x00", b""]),
        st.binary(max_size=64))
    names = st.one_of(st.sampled_from(["a.jpg", "a.png", "a.pdf", "a.exe", "noext", "现场.JPG", "a\x00.png",
                                       "../../a.pdf"]), st.text(st.characters(exclude_categories=["Cs"]),
                                                                max_size=20))
    usable = names.filter(lambda name: os.path.basename(name) not in {"", ".", ".."})  # what a client can send
    return st.tuples(usable, contents)


# --- the world ---------------------------------------------------------------------------
@dataclass
class World:
    street: User
    lead: User
    lead2: User
    leader: User
    supervisor: User
    case_ids: list[int] = field(default_factory=list)
    task_ids: list[int] = field(default_factory=list)
    report_ids: list[int] = field(default_factory=list)
    evidence: tuple[int, int] = (0, 0)
    document_ids: list[int] = field(default_factory=list)
    listing_ids: list[int] = field(default_factory=list)
    campaign_ids: list[int] = field(default_factory=list)
    usccs: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    job_ids: list[int] = field(default_factory=list)
    kind_task_ids: list[int] = field(default_factory=list)  # the penalty's and the transport check's tasks


def build_world() -> World:
    """A case in verify, one in order, one in review with a supervise task, a
    comment and a photo, a draft report and a submitted one."""
    from cases.models import Case
    from flows.models import CaseTask
    from planning.reports import responsible_tasks
    from supervision.listing import start_supervisions

    from .conftest import Api

    world = World(street=officer("street_changhong", username="fz_street"), lead=officer("emergency", username="fz_lead"),
                  lead2=officer("emergency", username="fz_lead2"),
                  leader=officer("emergency", User.Role.LEADER, username="fz_leader"),
                  supervisor=officer("safety_office", User.Role.SUPERVISOR, username="fz_supervisor"))
    deadline = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    verify, order, review = (register(world.street, title=f"模糊测试案件{n}")["id"] for n in range(3))
    complete(world.lead, order, "verify", "confirm", grade="general")
    complete(world.lead, review, "verify", "confirm", grade="general")
    complete(world.lead, review, "order", "issue", deadline=deadline, measures="m", responsible_person="p",
             funds="f", contingency_plan="c")
    complete(world.lead, review, "rectify", "submit", report="已整改")
    Api(world.lead).post(f"cases/{verify}/comments", {"text": "请协助"})
    response = Api(world.lead).client.post(
        f"/api/v1/cases/{verify}/evidence", {"file": _upload("a.png", image_bytes("PNG"))}, format="multipart")
    world.evidence = (verify, response.json()["id"])
    late = CaseTask.objects.get(pk=task_id(review, "review"))
    start_supervisions([(late, Case.objects.get(pk=review))], now=timezone.now())
    world.case_ids = [verify, order, review]
    world.task_ids = sorted(CaseTask.objects.filter(flow_task_type="HUMAN").values_list("id", flat=True))
    period = timezone.localdate().strftime("%Y-%m")
    draft = Api(world.lead).post("plan/reports", {"kind": "monthly", "period": period, "entries": [
        {"task": 8, "status": "in_progress", "progress": "推进中"}]}).json()
    police = officer("police", username="fz_police")
    number = responsible_tasks(police.agency).first().number
    submitted = Api(police).post("plan/reports", {
        "kind": "monthly", "period": period, "submit": True,
        "entries": [{"task": number, "status": "in_progress", "progress": "推进中"}]}).json()
    world.report_ids = [draft["id"], submitted["id"]]
    from enforcement.models import Document
    from supervision.listings import list_case

    world.document_ids = sorted(Document.objects.values_list("id", flat=True))
    major = register(world.street, title="模糊测试重大隐患")["id"]
    complete(world.lead, major, "verify", "confirm", grade="major", criteria=[5])
    world.listing_ids = [list_case(actor=world.supervisor, case_id=major, requirements="限期整改",
                                   deadline=timezone.localdate() + dt.timedelta(days=60)).pk]
    from planning.campaigns import open_campaign

    world.campaign_ids = [open_campaign(actor=world.supervisor, name="模糊测试专项行动", lead="emergency",
                                        agencies=["street_changhong"], starts_on=timezone.localdate(),
                                        ends_on=timezone.localdate()).pk]
    from cases.models import Enterprise
    from register.models import ImportJob
    from register.services import update_enterprise

    enterprise = Enterprise.objects.get(uscc=make_uscc(1))  # the cases' enterprise, a draft until the register completes it
    update_enterprise(actor=world.lead, enterprise=enterprise, data={"street": "changhong", "risk": "red", "products": [
        {"name": "液氨", "cas": "7664-41-7", "un_number": "1005"}]})
    world.usccs = [enterprise.uscc]
    world.codes = [enterprise.products.get().code]
    world.job_ids = [ImportJob.objects.create(created_by=world.lead, agency=world.lead.agency, file_name="r.xlsx",
                                              content=b"", status="done").pk]
    build_kinds(world)
    return world


def build_kinds(world: World) -> None:
    """A penalty at notify, one at answer (a hearing offered), one at execute, and a
    roadside check at joint punishment (the emergency bureau concerned): the tasks
    of the penalty and transport kinds, opened from one of the world's cases."""
    from flows.models import OPEN_STATUSES, CaseTask

    from .conftest import Api

    today = timezone.localdate().isoformat()
    penalties = []
    for n, stop in enumerate(("notify", "answer", "execute")):
        body = {"kind": "penalty", "title": f"模糊测试处罚{n}", "address": "a", "street": "changhong",
                "enterprise": {"name": "模糊测试企业", "uscc": make_uscc(41)}}
        if n == 0:
            body["source_case"] = world.case_ids[0]
        case = Api(world.lead).post("cases", body).json()["id"]
        complete(world.leader, case, "file", "approve")
        complete(world.lead, case, "investigate", "submit", co_officer="fz_lead2", findings="x", evidence="x",
                 provisions=["hcsr-78"])
        complete(world.lead2, case, "legal_review", "pass", opinion="x")
        if stop != "notify":
            complete(world.lead, case, "notify", "notify", provision="hcsr-78", amount="40000", reasons="x")
        if stop == "execute":
            complete(world.lead, case, "answer", "none", waived=True)
            complete(world.lead, case, "decide", "decide", provision="hcsr-78", amount="40000", reasons="x")
            complete(world.lead, case, "serve", "served", served_on=today, method="direct", recipient="张某")
        penalties.append(case)
    traffic = officer("traffic", username="fz_traffic")
    check = Api(traffic).post("cases", {
        "kind": "transport", "title": "模糊测试路检", "address": "a", "street": "changhong", "vehicle_plate": "津A12345",
        "un_number": "1203", "cargo_name": "汽油", "carrier_name": "模糊测试运输公司", "carrier_uscc": make_uscc(41),
        "driver": "李某", "location": "路口", "violations": ["documents"]}).json()["id"]
    complete(traffic, check, "verify", "confirm", measure="corrected", joint=True)
    world.case_ids += [*penalties, check]
    world.kind_task_ids = sorted(CaseTask.objects.filter(case_id__in=[*penalties, check], flow_task_type="HUMAN",
                                                         status__in=OPEN_STATUSES).values_list("id", flat=True))
    world.task_ids += world.kind_task_ids


def _upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


# --- the check ------------------------------------------------------------------------
class Tally:
    """Requests sent per suite; reported only by suites that passed."""

    def __init__(self):
        self.sent: dict[str, int] = {}
        self.passed: set[str] = set()

    def line(self, *, suite: str, things: str, refused: str) -> str:
        """What held, counting only the suites that passed, or which failed."""
        total = sum(self.sent[name] for name in self.passed)
        failed = sorted(set(self.sent) - self.passed)
        if failed:
            return f"fuzz ({suite}): {total} requests over {len(self.passed)} {things} passed; FAILED: {', '.join(failed)}"
        return f"fuzz ({suite}): {total} generated requests over {len(self.passed)} {things} passed: none " \
               f"answered 5xx, no refused {refused} changed anything"

    def report(self, request, *, suite: str, things: str, refused: str) -> None:
        """The line a fuzz module prints at its end."""
        reporter = request.config.pluginmanager.get_plugin("terminalreporter")
        line = self.line(suite=suite, things=things, refused=refused)
        if reporter is not None and self.sent:
            with request.config.pluginmanager.get_plugin("capturemanager").global_and_fixture_disabled():
                reporter.ensure_newline()
                reporter.write_line(line)


def check_one(send, describe: str, refused=lambda response: response.status_code >= 400):
    """Send one request (``send()`` returns the response) inside a transaction
    that is rolled back afterwards, so every example starts from the same
    world; the answer is not 5xx, and a refusal changed nothing (rows and files)."""
    with transaction.atomic():
        before = snapshot()
        response = send()
        assert response.status_code < 500, f"{describe} -> {response.status_code}: {_text(response)}"
        if refused(response):
            assert snapshot() == before, f"{describe} -> {response.status_code} refused but changed something"
        transaction.set_rollback(True)
    return response


def page_refused(response) -> bool:
    """A page refuses a form with 4xx, by showing it again (200 to a POST: a
    form that was taken redirects), or by redirecting with an error message."""
    from django.contrib import messages

    if response.status_code >= 400:
        return True
    request = response.wsgi_request
    if request.method == "POST" and response.status_code == 200:
        return True
    queued = getattr(getattr(request, "_messages", None), "_queued_messages", [])
    return any(message.level == messages.ERROR for message in queued)


def _text(response) -> str:
    if getattr(response, "streaming", False):
        return "<stream>"
    return response.content[:400].decode("utf-8", "replace")
