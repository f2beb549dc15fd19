"""What each step action does to the case.

A handler gets the locked case, the history fields of the action (actor,
action, note, step, task_id, data) and the form's cleaned data. It makes
exactly one ``Case`` transition or one ``Case.record`` (one history row), and
writes the trail rows (hand-offs, referrals) the action creates. The flow then
decides which task comes next.
"""
from django.utils import timezone

from cases.models import Grade, Handoff, Referral


def record(case, history, data):
    case.record(**history)


def confirm_hazard(case, history, data):
    """确认: the grade, the criteria met, and the co-agencies for 会商."""
    case.grade = data["grade"]
    case.criteria = sorted(data.get("criteria") or [])
    co_agencies = _co_agencies(case, data)
    if case.grade == Grade.MAJOR or co_agencies:
        case.start_consultation(agencies=co_agencies, **history)
    else:
        case.record(**history)


def confirm_with_joint_step(case, history, data):
    """确认 of an illegal site (joint inspection) or a waste referral (会商):
    the joint step always follows."""
    case.start_consultation(agencies=_co_agencies(case, data), **history)


def dismiss(case, history, data):
    case.dismiss(**history)


def hand_off(case, history, data):
    """移交: the lead offers the case to another agency."""
    Handoff.objects.create(
        case=case, from_agency=case.lead_agency, to_agency=data["to_agency"], reason=data["reason"],
        requested_by=history["actor"],
    )
    case.record(**history)


def accept_handoff(case, history, data):
    handoff = _answer_handoff(case, history, Handoff.Status.ACCEPTED)
    case.change_lead(agency=handoff.to_agency, **history)


def return_handoff(case, history, data):
    _answer_handoff(case, history, Handoff.Status.RETURNED, answer=data["reason"])
    case.record(**history)


def name_lead(case, history, data):
    """The safety office names the lead of a disputed case."""
    case.change_lead(agency=data["agency"], **history)


def issue_hazard_order(case, history, data):
    """责令整改 with the five elements (五到位)."""
    case.order_rectification(order=_order(data, "measures", "responsible_person", "funds", "contingency_plan"), **history)


def issue_waste_order(case, history, data):
    case.order_rectification(order=_order(data, "measures", "disposal_unit"), **history)


def ban(case, history, data):
    """取缔/责令停止; a suspected crime is referred to the police first (行刑衔接)."""
    order = _order(data, "measures")
    if data.get("refer_police"):
        case.rectification_order = order
        Referral.objects.create(
            case=case, reason=data["referral_reason"], documents=data["documents"], referred_by=history["actor"]
        )
        case.record(**history)
    else:
        case.order_rectification(order=order, **history)


def police_accept(case, history, data):
    referral = _decide_referral(case, history, Referral.Status.ACCEPTED, police_case_no=data["police_case_no"])
    case.order_rectification(order=case.rectification_order, **{**history, "note": referral.police_case_no})


def police_return(case, history, data):
    _decide_referral(case, history, Referral.Status.RETURNED, return_reason=data["reason"])
    case.record(**history)


def submit_rectification(case, history, data):
    case.submit_rectification(**history)


def fail_review(case, history, data):
    case.fail_review(deadline=data["deadline"], **history)


def approve_closure(case, history, data):
    case.approve_closure(**history)


# --- helpers ---------------------------------------------------------------
def _co_agencies(case, data):
    return [agency for agency in data.get("agencies") or [] if agency.pk != case.lead_agency_id]


def _order(data, *fields) -> dict:
    order = {field: data[field] for field in fields}
    order["deadline"] = data["deadline"].isoformat()
    return order


def _answer_handoff(case, history, status, answer="") -> Handoff:
    handoff = case.handoffs.select_for_update().get(status=Handoff.Status.PENDING)
    handoff.status = status
    handoff.answer = answer or history.get("note", "")
    handoff.answered_by = history["actor"]
    handoff.answered_at = timezone.now()
    handoff.save()
    return handoff


def _decide_referral(case, history, status, **fields) -> Referral:
    referral = case.referrals.select_for_update().get(status=Referral.Status.PENDING)
    referral.status = status
    for key, value in fields.items():
        setattr(referral, key, value)
    referral.decided_by = history["actor"]
    referral.decided_at = timezone.now()
    referral.save()
    return referral
