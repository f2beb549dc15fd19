"""The rule of the authorization matrix (tests/test_authorization_matrix.py):
for each endpoint and page, the status each persona gets, by the persona's
relation to the world's case (leads it, takes part, lies in its street, the
safety office, or nothing to do with it) and role; and, for page forms, who
changes something (a page answers a permitted and a refused form alike)."""
from django.utils import timezone

# persona: (agency, role, relation to the case)
PERSONAS = {
    "lead_officer": ("emergency", "officer", "lead"),
    "lead_leader": ("emergency", "leader", "lead"),
    "participant_officer": ("police", "officer", "participant"),
    "participant_leader": ("police", "leader", "participant"),
    "street_officer": ("street_changhong", "officer", "street"),
    "street_leader": ("street_changhong", "leader", "street"),
    "supervisor": ("safety_office", "supervisor", "supervisor"),
    "safety_leader": ("safety_office", "leader", "supervisor"),
    "other_bureau_officer": ("education", "officer", "none"),
    "other_bureau_leader": ("education", "leader", "none"),
    "other_street_officer": ("street_gulou", "officer", "none"),
    "other_police_officer": ("traffic", "officer", "none"),
}

VISIBLE = {"lead", "participant", "street", "supervisor"}


def everyone(status):
    return lambda relation, role: status


def if_visible(status):
    return lambda relation, role: status if relation in VISIBLE else 404


def lead_only(status, refused=403):
    """Acting on the lead agency's task: the lead acts, other visible agencies
    are refused, agencies with no part never learn the case exists."""
    return lambda relation, role: status if relation == "lead" else (refused if relation in VISIBLE else 404)


def lead_leader_only(status):
    return lambda relation, role: (
        status if relation == "lead" and role == "leader" else (403 if relation in VISIBLE else 404)
    )


def own_report_or_supervisor(status):
    """The emergency bureau's submitted report: its own unit and the safety office read it."""
    return lambda relation, role: status if relation in ("lead", "supervisor") else 404


def own_report(status, *, supervisor):
    return lambda relation, role: status if relation == "lead" else (supervisor if relation == "supervisor" else 404)


def supervisor_or_refused(status):
    """The safety office acts (the world's listing answers ``status``); other agencies
    that see the case are refused, the rest never learn it exists."""
    return lambda relation, role: status if relation == "supervisor" else (403 if relation in VISIBLE else 404)


def supervisors_only(status):
    return lambda relation, role: status if relation == "supervisor" else 403


def supervisors_and_leaders(status):
    return lambda relation, role: status if relation == "supervisor" or role == "leader" else 403


def register_keepers(status, refused):
    """The emergency bureau (the lead here) and the safety office keep the enterprise register."""
    return lambda relation, role: status if relation in ("lead", "supervisor") else refused


# url name -> (method, body, rule)
RULES = {
    # API
    "api:token-revoke": ("post", None, everyone(204)),
    "api:me": ("get", None, everyone(200)),
    "api:agencies": ("get", None, everyone(200)),
    "api:cases": ("get", None, everyone(200)),
    "api:case": ("get", None, if_visible(200)),
    "api:case-history": ("get", None, if_visible(200)),
    "api:case-evidence": ("get", None, if_visible(200)),
    "api:evidence-file": ("get", None, if_visible(200)),
    "api:case-comments": ("post", {"text": "意见"}, if_visible(201)),
    "api:tasks": ("get", None, everyone(200)),
    "api:task-claim": ("post", None, lead_only(200)),
    "api:task-unclaim": ("post", None, lead_only(200)),
    "api:task-assign": ("post", {"username": "matrix_em_officer2"}, lead_leader_only(200)),
    "api:task-complete": ("post", {"action": "agree", "opinion": "同意"}, lead_only(200)),
    "api:task-pause": ("post", {"reason": "等待检测"}, lead_only(200)),
    "api:task-resume": ("post", None, lead_only(409)),  # not paused: a conflict with its state, for the lead only
    "api:supervision-cases": ("get", None, supervisors_only(200)),
    "api:notifications": ("get", None, everyone(200)),
    "api:me-preferences": ("put", {"arrivals": "immediate", "email": False}, everyone(200)),  # one's own
    "api:me-counts": ("get", None, everyone(200)),
    "api:schema": ("get", None, everyone(200)),
    "api:docs": ("get", None, everyone(200)),
    "api:plan-tasks": ("get", None, everyone(200)),
    "api:plan-reports": ("get", None, everyone(200)),
    "api:plan-report": ("get", None, own_report_or_supervisor(200)),
    "api:plan-report-submit": ("post", None, own_report(400, supervisor=403)),  # already submitted
    "api:plan-report-accept": ("post", None, supervisors_only(200)),
    "api:plan-report-return": ("post", {"comment": "请补充"}, supervisors_only(200)),
    "api:plan-report-attachments": ("post", "png", own_report(400, supervisor=403)),  # no task named
    "api:plan-late": ("get", {"period": "2026-11"}, supervisors_only(200)),
    "api:plan-late-warn": ("post", {"agency": "traffic", "period": "2026-11", "note": "请补报"}, supervisors_only(201)),
    # the key tasks' units whose work lags (traffic missed task 13's campaign by June 2022), and campaigns
    "api:plan-lagging": ("get", None, supervisors_only(200)),
    "api:plan-lagging-warn": ("post", {"agency": "traffic", "task": 13, "note": "请加快推进"}, supervisors_only(201)),
    "api:plan-lagging-interview": ("post", {"agency": "traffic", "task": 13, "held_on": "2026-12-01",
                                            "attendees": "负责人", "minutes": "限期推进"}, supervisors_only(201)),
    "api:campaigns": ("get", None, everyone(200)),
    "api:campaign": ("get", None, everyone(200)),
    "planning:tasks": ("get", None, everyone(200)),
    "planning:lagging": ("post", {"agency": "traffic", "task": "13", "note": "x"}, everyone(302)),
    "planning:campaigns": ("get", None, everyone(200)),
    "planning:campaign": ("get", None, everyone(200)),
    "api:stats": ("get", {"period": "2026-11"}, supervisors_and_leaders(200)),
    "api:monthly-workbook": ("get", {"period": "2026-11"}, supervisors_and_leaders(200)),
    "api:case-documents": ("get", None, if_visible(200)),
    "api:document": ("get", None, if_visible(200)),
    "api:document-pdf": ("get", None, if_visible(200)),
    # service and corrections: the issuing agency (the lead, which inspected)
    "api:document-service": ("post", lambda world: {"served_at": timezone.now().isoformat(), "method": "direct",
                                                     "recipient": "张三（企业负责人）"}, lead_only(200)),
    "api:document-corrections": ("post", {"reason": "笔误", "changes": {"findings": "更正后的检查情况"}}, lead_only(201)),
    # pages (a refused form action redirects back with a message: 302)
    "desk:inbox": ("get", None, everyone(200)),
    "desk:cases": ("get", None, everyone(200)),
    "desk:case-new": ("get", None, everyone(200)),
    "desk:case": ("get", None, if_visible(200)),
    "desk:task": ("get", None, if_visible(200)),
    "desk:task-claim": ("post", None, if_visible(302)),
    # a page that always returns to the queue: who may claim is checked by its effect in test_desk_pages_inbox
    "desk:tasks-bulk": ("post", lambda world: {"bulk": "claim", "tasks": [world["task_id"]]}, everyone(302)),
    # one's own saved filters: another's is not found (test_desk_pages_saved_filters checks the effect)
    "desk:filter-save": ("post", {"page": "tasks", "name": "n", "query": "box=queue"}, everyone(302)),
    "desk:filter-delete": ("post", {"page": "tasks"}, everyone(302)),
    "desk:task-unclaim": ("post", None, if_visible(302)),
    "desk:task-assign": ("post", {"username": "matrix_em_officer2"}, if_visible(302)),
    "desk:task-pause": ("post", {"reason": "等待检测"}, if_visible(302)),
    "desk:task-resume": ("post", None, if_visible(302)),
    "desk:evidence-upload": ("post", "png", if_visible(302)),
    "desk:comment-add": ("post", {"text": "意见"}, if_visible(302)),
    "supervision:board": ("get", None, supervisors_and_leaders(200)),
    "planning:dashboard": ("get", None, supervisors_and_leaders(200)),
    "planning:reports": ("get", None, everyone(200)),
    "planning:report-edit": ("get", None, everyone(200)),
    "planning:report-review": ("post", {"decision": "accept"}, everyone(302)),
    "planning:late-warn": ("post", {"agency": "traffic", "period": "2026-11", "note": "x"}, everyone(302)),
    # 挂牌督办 of the world's listed major hazard (led by the emergency bureau, police consulted)
    "api:listings": ("get", None, everyone(200)),
    "api:listing-publish": ("post", {"channel": "网站"}, supervisor_or_refused(200)),
    "api:listing-extend": ("post", lambda world: {"reason": "设备订货", "new_deadline": world["listing_deadline"]},
                           lead_only(200)),
    "api:listing-grant": ("post", {}, supervisor_or_refused(409)),  # nothing asked for yet
    "api:listing-refuse": ("post", {"note": "不同意"}, supervisor_or_refused(409)),
    "api:listing-remove": ("post", {"report": "已整改"}, lead_only(409)),  # the review has not passed
    "api:listing-approve-removal": ("post", {}, supervisor_or_refused(409)),
    "supervision:listing-create": ("post", {"deadline": "2026-12-31", "requirements": "r"}, if_visible(302)),
    "supervision:listing-action": ("post", lambda world: {"reason": "设备订货", "new_deadline": world["listing_deadline"]},
                                   if_visible(302)),
    "enforcement:document": ("get", None, if_visible(200)),
    "enforcement:document-pdf": ("get", None, if_visible(200)),
    "notifications": ("get", None, everyone(200)),
    "notifications-read": ("post", None, everyone(302)),
    "notifications-preferences": ("post", {"arrivals": "off"}, everyone(302)),
    # the enterprise register: the world's case names an enterprise in 长虹街道 (visible with the case or the
    # street; the emergency bureau and supervisors see all of it and keep it)
    "api:enterprises": ("get", None, everyone(200)),
    "api:enterprise": ("get", None, if_visible(200)),
    "api:enterprise-cases": ("get", None, if_visible(200)),
    "api:enterprise-import": ("post", "png", register_keepers(400, refused=403)),  # a PNG is not a workbook
    "api:enterprise-import-job": ("get", None, own_report_or_supervisor(200)),  # the emergency bureau's import
    "api:enterprise-template": ("get", None, everyone(200)),
    "api:enterprise-export": ("get", None, everyone(200)),
    "api:code": ("get", None, everyone(200)),  # public: the product's safety card, nothing else
    "register:enterprises": ("get", None, everyone(200)),
    "register:enterprise": ("get", None, if_visible(200)),
    "register:labels": ("get", None, if_visible(200)),
    "register:enterprise-edit": ("get", None, lambda relation, role: 200 if relation in ("lead", "supervisor")
                                 else 403 if relation in VISIBLE else 404),
    "register:import": ("get", None, register_keepers(200, refused=403)),
    "register:import-job": ("get", None, own_report_or_supervisor(200)),
    "register:template": ("get", None, everyone(200)),
    "register:export": ("get", None, everyone(200)),
    "register:risk": ("get", None, supervisors_and_leaders(200)),
    "register:code": ("get", None, everyone(200)),
}

def lead(relation, role):
    return relation == "lead"


def supervisors(relation, role):
    return relation == "supervisor"


# Who changes something by a page's form (a page answers 302 to the permitted and the refused alike).
# An API row changes something exactly when its expected status is 2xx, unless named here.
EFFECTS = {
    "desk:task-claim": lead,
    "desk:tasks-bulk": lead,  # bulk claim: only the lead's officers and leaders hold the queue
    "desk:task-unclaim": lambda relation, role: False,  # nobody holds the task: nothing to return
    "desk:task-assign": lambda relation, role: relation == "lead" and role == "leader",
    "desk:task-pause": lead,
    "desk:task-resume": lambda relation, role: False,  # the task is not paused
    "desk:evidence-upload": lambda relation, role: relation in VISIBLE,
    "desk:comment-add": lambda relation, role: relation in VISIBLE,
    "desk:filter-save": lambda relation, role: True,  # one's own
    "desk:filter-delete": lambda relation, role: relation == "lead" and role == "officer",  # the lead officer's filter
    "supervision:listing-create": lambda relation, role: False,  # a general hazard is not listed
    "supervision:listing-action": lead,  # the lead asks for more time
    "planning:lagging": supervisors,
    "planning:report-review": supervisors,
    "planning:late-warn": supervisors,
    # of the personas, only the lead's leader has been told something (the major hazard's listing)
    "notifications-read": lambda relation, role: relation == "lead" and role == "leader",
    "notifications-preferences": lambda relation, role: True,  # one's own
    "api:token-revoke": lambda relation, role: False,  # a session, not a token: nothing to revoke
    "api:task-unclaim": lambda relation, role: False,
}


def expected_change(name, method, status, relation, role) -> bool:
    if name in EFFECTS:
        return EFFECTS[name](relation, role)
    return method != "get" and name.startswith("api:") and 200 <= status < 300


# Not case data: public, or checked by their own tests.
EXEMPT = {
    "healthz", "readyz", "login", "logout", "set_language",
    "api:token",  # public: exchanges a password for a token (test_security)
    "api:intake-alarms",  # signed machine-to-machine intake (test_api_intake)
}
