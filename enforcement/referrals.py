"""Referral of a suspected crime to the police (行刑衔接), step by step as the
rules on transfers have them. Each function moves the case's open referral
on, in the step's transaction, with the case locked by the step; the steps
that call them are the illegal site's (flows/kinds/illegal_site.py)."""
from django.utils import timezone

from cases.models import Case
from common.exceptions import Conflict
from common.prepared import Prepared
from org.models import User

from .models import Referral

Status = Referral.Status


def propose(*, case: Case, actor: User, reason: str, documents: list[str]) -> Referral:
    """The lead's decision to refer, for the head of the agency to approve."""
    return Referral.objects.create(case=case, reason=reason, documents=documents, referred_by=actor)


def _move(case: Case, actor: User, *, expected: tuple, status: str, **fields) -> Referral:
    referral = case.referrals.select_for_update().filter(status__in=expected).order_by("-referred_at", "-id").first()
    if referral is None:
        raise Conflict(code="no_open_referral")
    referral.status = status
    for key, value in fields.items():
        setattr(referral, key, value)
    referral.save()
    return referral


def approve(*, case: Case, actor: User) -> Referral:
    """正职负责人批准移送 (within 3 days of the report; transferred within 24 hours)."""
    return _move(case, actor, expected=(Status.PROPOSED,), status=Status.PENDING, approved_by=actor,
                 approved_at=timezone.now())


def refuse(*, case: Case, actor: User, reason: str) -> Referral:
    """不批准移送, with the reason kept on record."""
    return _move(case, actor, expected=(Status.PROPOSED,), status=Status.REFUSED, approved_by=actor,
                 approved_at=timezone.now(), refusal_reason=reason)


def accept(*, case: Case, actor: User, police_case_no: str) -> Referral:
    """立案: the police open a criminal case (at first review or on reconsideration)."""
    return _move(case, actor, expected=(Status.PENDING, Status.RECONSIDERING), status=Status.ACCEPTED,
                 police_case_no=police_case_no, decided_by=actor, decided_at=timezone.now())


def return_file(*, case: Case, actor: User, reason: str) -> Referral:
    """退回补充材料: the file is incomplete; the lead completes it and decides again."""
    return _move(case, actor, expected=(Status.PENDING,), status=Status.RETURNED, return_reason=reason,
                 decided_by=actor, decided_at=timezone.now())


def decline(*, case: Case, actor: User, reason: str) -> Referral:
    """不予立案, with its written reason."""
    return _move(case, actor, expected=(Status.PENDING,), status=Status.DECLINED, decline_reason=reason,
                 decided_by=actor, decided_at=timezone.now())


def request_reconsideration(*, case: Case, actor: User, reason: str) -> Referral:
    """提请复议 within 3 days of the refusal."""
    return _move(case, actor, expected=(Status.DECLINED,), status=Status.RECONSIDERING, reconsider_reason=reason,
                 reconsider_requested_at=timezone.now())


def drop(*, case: Case, actor: User) -> Referral:
    """No reconsideration: the case goes on as an administrative matter."""
    return _move(case, actor, expected=(Status.DECLINED,), status=Status.DROPPED)


def uphold(*, case: Case, actor: User, reason: str) -> Referral:
    """复议维持不予立案 (the lead may still ask the procuratorate to supervise)."""
    return _move(case, actor, expected=(Status.RECONSIDERING,), status=Status.UPHELD, uphold_reason=reason,
                 decided_by=actor, decided_at=timezone.now())


def open_referral(case: Case) -> Referral | None:
    return case.referrals.filter(status__in=Referral.OPEN).order_by("-referred_at", "-id").first()


def referrals_of(case: Case) -> list[Referral]:
    """The case's referrals, read by SQL compiled once (common.prepared: every task and case page reads them)."""
    return _REFERRALS.objects(case_id=case.pk, known={"case": case})


_REFERRALS = Prepared(lambda case_id: Referral.objects.filter(case_id=case_id)
                      .select_related("referred_by", "decided_by", "approved_by"))
