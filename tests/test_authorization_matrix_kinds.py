"""The authorization matrix of the penalty (NK-AP) and transport (NK-TR)
steps: every persona tries to complete each step's task; the rule per step is
the table below (200 done, 403 refused with the reason, 404 the case is not
theirs to know of). Each attempt is rolled back, so every persona meets the
same task. Every human step of the two kinds must have a row."""
import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from flows.registry import kind_of

from .conftest import Api
from .factories import make_uscc, officer
from .scenarios import complete, register, task_id
from .test_flows_transport import check_payload

# persona: (agency, role)
PERSONAS = {
    "lead_officer": ("emergency", "officer"),
    "lead_leader": ("emergency", "leader"),
    "traffic_officer": ("traffic", "officer"),
    "traffic_leader": ("traffic", "leader"),
    "transport_officer": ("transport", "officer"),
    "ecology_officer": ("ecology", "officer"),
    "street_officer": ("street_huayuan", "officer"),
    "supervisor": ("safety_office", "supervisor"),
    "other_bureau_officer": ("education", "officer"),
}


def only(*personas, seen=()):
    """200 for ``personas``; 403 for those who see the case (``seen``, the supervisor); 404 for the rest."""
    def rule(persona):
        if persona in personas:
            return 200
        return 403 if persona in seen or persona == "supervisor" else 404
    return rule


PENALTY_SEEN = ("lead_officer", "lead_leader", "street_officer")  # the lead and the case's street
# the traffic police lead, the check's street; the transport bureau once the carrier's violation is sent to it
CHECK_SEEN = ("traffic_officer", "traffic_leader", "street_officer")
TRANSPORT_SEEN = (*CHECK_SEEN, "transport_officer")

# (kind, step) -> (body, rule)
RULES = {
    ("penalty", "file"): ({"action": "approve"}, only("lead_leader", seen=PENALTY_SEEN)),
    ("penalty", "investigate"): ({"action": "dismiss", "reason": "x"}, only("lead_officer", "lead_leader",
                                                                          seen=PENALTY_SEEN)),
    ("penalty", "legal_review"): ({"action": "return", "reason": "x"}, only("lead_leader", seen=PENALTY_SEEN)),
    ("penalty", "notify"): ({"action": "notify", "provision": "hcsr-80", "amount": "50000", "reasons": "x"},
                            only("lead_officer", "lead_leader", seen=PENALTY_SEEN)),
    ("penalty", "answer"): ({"action": "none", "waived": True}, only("lead_officer", "lead_leader", seen=PENALTY_SEEN)),
    ("penalty", "hearing"): ({"action": "absent"}, only("lead_officer", "lead_leader", seen=PENALTY_SEEN)),
    ("penalty", "decide"): ({"action": "no_penalty", "reason": "x"}, only("lead_officer", "lead_leader",
                                                                          seen=PENALTY_SEEN)),
    ("penalty", "serve"): (lambda: {"action": "served", "served_on": timezone.localdate().isoformat(),
                                    "method": "direct", "recipient": "张某"},
                           only("lead_officer", "lead_leader", seen=PENALTY_SEEN)),
    ("penalty", "execute"): ({"action": "done"}, only("lead_officer", "lead_leader", seen=PENALTY_SEEN)),
    ("penalty", "close"): ({"action": "approve"}, only("lead_leader", seen=PENALTY_SEEN)),
    ("transport", "verify"): ({"action": "dismiss", "reason": "x"}, only("traffic_officer", "traffic_leader",
                                                                         seen=CHECK_SEEN)),
    ("transport", "punish"): ({"action": "none", "reason": "x"}, only("transport_officer", seen=TRANSPORT_SEEN)),
    ("transport", "close"): ({"action": "approve"}, only("traffic_leader", seen=TRANSPORT_SEEN)),
}
# shared steps the matrix of the hazard already covers (hand-off)
SHARED = {"accept_handoff", "settle_lead"}


def test_every_step_of_the_new_kinds_has_a_rule():
    for code in ("penalty", "transport"):
        steps = set(kind_of(code).steps()) - SHARED
        assert steps == {step for kind, step in RULES if kind == code}


@pytest.fixture
def users():
    people = {name: officer(agency, role=role, username=f"km_{name}") for name, (agency, role) in PERSONAS.items()}
    people["lead_officer2"] = officer("emergency", username="km_lead_officer2")
    people["reviewer"] = officer("emergency", username="km_reviewer")
    return people


def penalty_at(users, step: str) -> int:
    """A penalty case (no fine) whose open task is ``step``; the reviewer is not the investigator."""
    o1, leader = users["lead_officer"], users["lead_leader"]
    case = register(o1, kind="penalty", title="t", address="a", street="huayuan",
                    enterprise={"name": "某公司", "uscc": make_uscc(31)})["id"]
    path = [
        ("file", leader, {"action": "approve"}),
        ("investigate", o1, {"action": "submit", "co_officer": "km_lead_officer2", "findings": "x", "evidence": "x",
                             "provisions": ["hcsr-78"]}),
        ("legal_review", users["reviewer"], {"action": "pass", "opinion": "x"}),
        ("notify", o1, {"action": "notify", "provision": "hcsr-78", "amount": "0", "others": ["suspend"],
                        "reasons": "x"}),
        ("answer", o1, {"action": "request_hearing", "requested_on": timezone.localdate().isoformat()}),
        ("hearing", o1, {"action": "absent"}),
        ("decide", o1, {"action": "decide", "provision": "hcsr-78", "amount": "0", "others": ["suspend"],
                        "reasons": "x", "discussed_on": timezone.localdate().isoformat(), "discussion": "x"}),
        ("serve", o1, {"action": "served", "served_on": timezone.localdate().isoformat(), "method": "direct",
                       "recipient": "张某"}),
        ("execute", o1, {"action": "done"}),
    ]
    for name, user, body in path:
        if name == step:
            break
        complete(user, case, name, **body)
    return task_id(case, step)


def transport_at(users, step: str) -> int:
    case = register(users["traffic_officer"], **check_payload(violations=["no_escort"]))["id"]
    if step != "verify":
        complete(users["traffic_officer"], case, "verify", "confirm", measure="corrected", joint=True)
    if step == "close":
        complete(users["transport_officer"], case, "punish", "none", reason="x")
    return task_id(case, step)


@pytest.mark.parametrize(("kind", "step"), sorted(RULES))
def test_who_may_complete_each_step(users, kind, step):
    task = (penalty_at if kind == "penalty" else transport_at)(users, step)
    body, rule = RULES[(kind, step)]
    answers = {}
    for persona in PERSONAS:
        with transaction.atomic():
            response = Api(users[persona]).post(f"tasks/{task}/complete", body() if callable(body) else body)
            answers[persona] = response.status_code
            transaction.set_rollback(True)
    expected = {persona: rule(persona) for persona in PERSONAS}
    assert answers == expected


def test_the_decision_clock_is_ninety_days_from_filing(users):
    task = penalty_at(users, "investigate")
    from flows.models import CaseTask

    case = CaseTask.objects.get(pk=task).case
    assert case.details["decision_due"] == (timezone.localdate() + dt.timedelta(days=90)).isoformat()
