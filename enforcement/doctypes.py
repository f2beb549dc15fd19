"""What each document of record states: for every type, the facts it takes
from the case, the step's form and the officers when it is issued. The facts
are frozen in the document (``Document.facts``); its page and PDF are drawn
from them alone (templates/enforcement/documents/<type>.html), so a later
change of the case never changes an issued document.

The words the law gives a type (title, number abbreviation, basis, rights) are
data (``DocumentType``); the structure of each form follows the national set
of work-safety enforcement forms (docs/documents.md)."""
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case, MajorHazardCriterion
from org.models import Agency, User

from .models import Document


@dataclass
class Issue:
    """What a step knows when it issues a document."""

    case: Case
    actor: User
    data: dict = field(default_factory=dict)  # the action's fields, as JSON
    step: str = ""
    action: str = ""
    task_id: int | None = None
    extra: dict = field(default_factory=dict)  # facts the step's handler adds (the lagging agency...)


@dataclass(frozen=True)
class Form:
    build: Callable[[Issue], dict]
    editable: tuple[str, ...] = ()  # facts a correction may change


FORMS: dict[str, Form] = {}

# the words for the facts a correction may change
FACT_LABELS = {
    "findings": _("Findings"), "place": _("Place"), "problems": _("Problems found"), "measures": _("Measures"),
    "responsible_person": _("Responsible person"), "funds": _("Funds"), "contingency_plan": _("Contingency plan"),
    "opinion": _("Opinion"), "violations": _("Violations found"), "reason": _("Referral reason"),
    "note": _("Note"), "attendees": _("Attendees"), "minutes": _("Minutes"), "requirements": _("Requirements"),
    "report": _("Rectification and acceptance report"),
}


def form(code: str, *, editable: tuple[str, ...] = ()):
    def register(build):
        FORMS[code] = Form(build, editable)
        return build
    return register


# --- the facts every document states ----------------------------------------------------
def common_facts(issue: Issue, agency: Agency) -> dict:
    case, enterprise = issue.case, issue.case.enterprise
    return {
        "agency": agency.official_name or agency.name,
        "case_number": case.number,
        "case_title": case.title,
        "party": enterprise.name if enterprise else "",
        "uscc": enterprise.uscc if enterprise else "",
        "address": case.address,
        "officers": officers(issue),
    }


def officers(issue: Issue) -> list[dict]:
    """The issuing officer, and the second officer named on the form (at least two enforce together)."""
    people = [issue.actor]
    second = issue.data.get("co_officer")
    if second:
        other = User.objects.filter(username=second).first()
        if other is not None and other.pk != issue.actor.pk:
            people.append(other)
    return [{"name": user.full_name or user.username, "credential_no": user.credential_no} for user in people]


def _date(value) -> str:
    return value if isinstance(value, str) else (value.isoformat() if value else "")


# --- the forms ---------------------------------------------------------------------------
@form("inspection_record", editable=("findings", "place"))
def inspection_record(issue: Issue) -> dict:
    """现场检查记录: where, when, what was found (安全生产法 art 68)."""
    criteria = dict(MajorHazardCriterion.objects.filter(number__in=issue.case.criteria or [])
                    .values_list("number", "text"))
    return {
        "place": issue.case.address,
        "inspected_on": timezone.localdate().isoformat(),
        "findings": issue.data.get("findings") or issue.data.get("note") or issue.case.description or issue.case.title,
        "grade": issue.case.get_grade_display() if issue.case.grade else "",
        "criteria": [f"{n}. {criteria[n]}" for n in sorted(criteria)],
    }


@form("rectification_order", editable=("problems", "measures", "responsible_person", "funds", "contingency_plan"))
def rectification_order(issue: Issue) -> dict:
    """责令限期整改指令书: the problems found and the deadline to fix them."""
    order = issue.case.rectification_order or {}
    return {
        "problems": issue.case.description or issue.case.title,
        "measures": order.get("measures", ""),
        "deadline": order.get("deadline", ""),
        "responsible_person": order.get("responsible_person", ""),
        "funds": order.get("funds", ""),
        "contingency_plan": order.get("contingency_plan", ""),
        "disposal_unit": order.get("disposal_unit", ""),
        "suspend": bool(order.get("suspend")), "suspend_scope": order.get("suspend_scope", ""),
        "suspend_until": order.get("suspend_until", ""), "evacuate": bool(order.get("evacuate")),
    }


@form("review_opinion", editable=("opinion",))
def review_opinion(issue: Issue) -> dict:
    """整改复查意见书: refers to the order, says whether the rectification passed."""
    order = (Document.objects.filter(case=issue.case, type="rectification_order").order_by("-issued_at", "-id")
             .values("number", "issued_at").first())
    passed = issue.action == "pass"
    resumed = passed and bool((issue.case.rectification_order or {}).get("resumed_on"))
    return {
        "resumed": resumed,
        "order_number": order["number"] if order else "",
        "order_date": _date(order["issued_at"].date()) if order else "",
        "passed": passed,
        "opinion": issue.data.get("note", ""),
        "new_deadline": "" if passed else _date(issue.data.get("deadline")),
    }


@form("onsite_decision", editable=("violations", "measures"))
def onsite_decision(issue: Issue) -> dict:
    """现场处理措施决定书: the violations found and the measures decided on the spot."""
    return {
        "violations": issue.case.description or issue.case.title,
        "measures": issue.data.get("measures", ""),
        "deadline": _date(issue.data.get("deadline")),
    }


@form("criminal_referral", editable=("reason",))
def criminal_referral(issue: Issue) -> dict:
    """涉嫌犯罪案件移送书: to the police, with the transfer materials."""
    police = Agency.objects.filter(code="police").first()
    referral = issue.case.referrals.order_by("-referred_at", "-id").first()  # the one just approved
    return {
        "police": (police.official_name or police.name) if police else "",
        "reason": referral.reason if referral else "",
        "materials": referral.document_labels() if referral else [],
    }


@form("warning_letter", editable=("note",))
def warning_letter(issue: Issue) -> dict:
    """警示提醒函: to the agency that lags, about the case's late step."""
    return {"recipient": issue.extra.get("agency_name", ""), "note": issue.data.get("note", "")}


@form("interview_notice", editable=("place", "note"))
def interview_notice(issue: Issue) -> dict:
    """约谈通知书: when and where the agency's responsible people are interviewed."""
    return {"recipient": issue.extra.get("agency_name", ""), "interview_on": _date(issue.data.get("interview_on")),
            "place": issue.data.get("place", ""), "note": issue.data.get("note", "")}


@form("interview_record", editable=("attendees", "minutes"))
def interview_record(issue: Issue) -> dict:
    """约谈记录: who attended and what was said."""
    return {"recipient": issue.extra.get("agency_name", ""), "held_on": _date(issue.data.get("held_on")),
            "attendees": issue.data.get("attendees", ""), "minutes": issue.data.get("minutes", "")}


@form("listing_notice", editable=("requirements",))
def listing_notice(issue: Issue) -> dict:
    """挂牌督办通知书: the hazard, the criteria met, who rectifies, the requirements, the deadline."""
    criteria = dict(MajorHazardCriterion.objects.filter(number__in=issue.case.criteria or [])
                    .values_list("number", "text"))
    order = issue.case.rectification_order or {}
    return {
        "hazard": issue.case.description or issue.case.title,
        "criteria": [f"{n}. {criteria[n]}" for n in sorted(criteria)],
        "responsible": issue.extra.get("responsible", ""), "requirements": issue.extra.get("requirements", ""),
        "deadline": issue.extra.get("deadline", ""), "measures": order.get("measures", ""),
        "responsible_person": order.get("responsible_person", ""), "funds": order.get("funds", ""),
        "contingency_plan": order.get("contingency_plan", ""),
    }


@form("delisting_notice", editable=("report",))
def delisting_notice(issue: Issue) -> dict:
    """摘牌通知书: refers to the listing notice; the rectification accepted, the listing removed."""
    return {"notice_number": issue.extra.get("notice_number", ""), "listed_on": issue.extra.get("listed_on", ""),
            "report": issue.extra.get("report", ""), "note": issue.extra.get("note", "")}


# --- administrative penalties (行政处罚) and roadside checks ---------------------------------------
def _party(issue: Issue) -> dict:
    """A penalty's party: the unit (the case's enterprise) or the person named."""
    details = issue.case.details or {}
    if details.get("party_type") == "person" and details.get("party_name"):
        return {"party": details["party_name"], "uscc": ""}
    return {}


def _provision_text(code: str) -> str:
    from .penalties import provisions

    provision = provisions().get(code)
    return f"《{provision.law}》（{provision.version}）{provision.article}" if provision else code


def _penalty_words(amount: str, others) -> str:
    from decimal import Decimal

    from .penalties import OTHER_PENALTIES_ZH, yuan

    words = OTHER_PENALTIES_ZH
    parts = [words.get(code, code) for code in others or ()]
    if amount and Decimal(amount):
        parts.append(f"罚款人民币{yuan(amount)}元")
    return "；".join(parts) or "不予罚款"


@form("filing_approval", editable=("note",))
def filing_approval(issue: Issue) -> dict:
    """立案审批表: the case, its source, the leader's approval."""
    details = issue.case.details or {}
    return {**_party(issue), "facts": issue.case.description or issue.case.title, "source": issue.case.source,
            "filed_on": details.get("filed_on", ""), "decision_due": details.get("decision_due", ""),
            "approver": issue.actor.full_name or issue.actor.username, "note": issue.data.get("note", "")}


@form("penalty_notice", editable=("reasons",))
def penalty_notice(issue: Issue) -> dict:
    """行政处罚告知书: the intended penalty, its facts, reasons and basis, the rights (行政处罚法 art 44)."""
    notice = (issue.case.details or {}).get("notice") or {}
    return {**_party(issue), "reasons": issue.data.get("reasons", ""),
            "provision": _provision_text(notice.get("provision", "")),
            "penalty": _penalty_words(notice.get("amount"), notice.get("others")),
            "statement_until": notice.get("statement_until", ""), "hearing": bool(notice.get("hearing")),
            "hearing_until": notice.get("hearing_until", "")}


@form("hearing_notice", editable=("reasons",))
def hearing_notice(issue: Issue) -> dict:
    """听证告知书: the right to a hearing and the time to ask for it (行政处罚法 arts 63, 64)."""
    return penalty_notice(issue)


@form("penalty_decision", editable=("reasons",))
def penalty_decision(issue: Issue) -> dict:
    """行政处罚决定书 (行政处罚法 art 59): facts, basis, penalty, how and when to pay, remedies."""
    details = issue.case.details or {}
    decision = details.get("decision") or {}
    return {**_party(issue), "reasons": issue.data.get("reasons", ""),
            "provision": _provision_text(decision.get("provision", "")),
            "penalty": _penalty_words(decision.get("amount"), decision.get("others")),
            "fine": bool(decision.get("amount") and float(decision["amount"])),
            "statement": (details.get("statement") or {}).get("text", ""),
            "hearing_held": (details.get("hearing") or {}).get("held_on", ""),
            "discussed_on": decision.get("discussed_on", "")}


@form("closing_approval", editable=("note",))
def closing_approval(issue: Issue) -> dict:
    """结案审批表: the decision and how it was carried out."""
    details = issue.case.details or {}
    decision, execution = details.get("decision") or {}, details.get("execution") or {}
    if execution.get("paid"):
        carried = f"已缴纳罚款{execution.get('amount_paid', '')}元，缴款凭证号{execution.get('receipt_no', '')}"
    elif execution.get("enforcement"):
        carried = f"已于{execution.get('applied_on', '')}申请{execution.get('court', '')}强制执行"
    else:
        carried = "已执行完毕"
    return {**_party(issue), "penalty": _penalty_words(decision.get("amount"), decision.get("others")),
            "carried_out": carried, "filed_on": details.get("filed_on", ""),
            "approver": issue.actor.full_name or issue.actor.username, "note": issue.data.get("note", "")}


@form("roadside_check_record", editable=("violations", "measures"))
def roadside_check_record(issue: Issue) -> dict:
    """道路危险货物运输路检路查记录: vehicle, goods, carrier, people, place, what was found and done."""
    details = issue.case.details or {}
    return {
        "party": details.get("carrier_name", ""), "uscc": details.get("carrier_uscc", ""),
        "vehicle_plate": details.get("vehicle_plate", ""), "un_number": details.get("un_number", ""),
        "cargo_name": details.get("cargo_name", ""), "shipper": details.get("shipper_name", ""),
        "driver": details.get("driver", ""), "escort": details.get("escort", ""),
        "place": details.get("location", "") or issue.case.address,
        "violations": "；".join(issue.extra.get("violations") or []) or "未发现违法行为",
        "measures": "；".join(filter(None, [issue.extra.get("measure", ""), details.get("measures", "")])),
    }
