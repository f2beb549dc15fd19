"""Referral of a suspected crime to the police (行刑衔接): the lead refers the
case with its transfer materials, the police accept it (立案, with their case
number) or return it. Called by the steps of a case kind, inside the step's
transaction, with the case locked."""
from django.utils import timezone

from cases.models import Case
from org.models import User

from .models import Referral


def refer(*, case: Case, actor: User, reason: str, documents: list[str]) -> Referral:
    return Referral.objects.create(case=case, reason=reason, documents=documents, referred_by=actor)


def decide(*, case: Case, actor: User, status: str, **fields) -> Referral:
    """The police's decision on the case's pending referral."""
    referral = case.referrals.select_for_update().get(status=Referral.Status.PENDING)
    referral.status = status
    for key, value in fields.items():
        setattr(referral, key, value)
    referral.decided_by = actor
    referral.decided_at = timezone.now()
    referral.save()
    return referral


def pending_referral(case: Case) -> bool:
    return case.referrals.filter(status=Referral.Status.PENDING).exists()


def referrals_of(case: Case):
    return case.referrals.select_related("referred_by", "decided_by")
