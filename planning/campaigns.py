"""Special campaigns (专项行动): tasks 10, 13, 14 and 15 of the plan are
campaigns (a hazardous-vehicle campaign by the end of June, special
rectifications of waste and of school laboratories). The safety office, or
a leader for a campaign its own agency leads, opens one; officers of the
agencies taking part link the cases they register during it; the page and
the API count what it found, closed and referred."""
import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from cases.models import Campaign, Case, State
from cases.selectors import visible_cases
from common.exceptions import InvalidInput, NotFound, NotPermitted
from common.inputs import check_text, parse_id
from enforcement.models import Referral
from org.models import Agency, User

from .models import PlanTask

REFERRED = [status for status in Referral.Status.values
            if status not in (Referral.Status.PROPOSED, Referral.Status.REFUSED)]
LONGEST_DAYS = 366


@dataclass
class CampaignCounts:
    found: int
    open: int
    closed: int
    dismissed: int
    referred: int


# --- reading ------------------------------------------------------------------------------
def campaigns_with_counts() -> QuerySet[Campaign]:
    """Every campaign (they are the district's, not one agency's) with its
    counts, in one query: cases found, open, closed, dismissed, referred to
    the police."""
    referred = Referral.objects.filter(case=OuterRef("pk"), status__in=REFERRED)
    return (Campaign.objects.select_related("lead").prefetch_related("agencies")
            .annotate(found=Count("cases", distinct=True),
                      closed=Count("cases", filter=Q(cases__state=State.CLOSED), distinct=True),
                      dismissed=Count("cases", filter=Q(cases__state=State.DISMISSED), distinct=True),
                      referred=Count("cases", filter=Q(cases__in=Case.objects.filter(Exists(referred))),
                                     distinct=True)))


def counts_of(campaign: Campaign) -> CampaignCounts:
    return CampaignCounts(found=campaign.found, closed=campaign.closed, dismissed=campaign.dismissed,
                          referred=campaign.referred,
                          open=campaign.found - campaign.closed - campaign.dismissed)


def get_campaign(campaign_id) -> Campaign:
    campaign_id = parse_id(campaign_id)
    campaign = campaigns_with_counts().filter(pk=campaign_id).first() if campaign_id is not None else None
    if campaign is None:
        raise NotFound()
    return campaign


def campaign_cases(user: User, campaign: Campaign) -> QuerySet[Case]:
    """The campaign's cases the user may see (the counts are of all of them)."""
    return (visible_cases(user).filter(campaign=campaign).select_related("street", "lead_agency")
            .order_by("-created_at"))


def may_open_campaign(user: User) -> bool:
    return user.is_supervisor or (user.is_leader and user.agency_id is not None)


# --- writing ------------------------------------------------------------------------------
@transaction.atomic
def open_campaign(*, actor: User, name: str, lead: str, agencies: list, starts_on: dt.date, ends_on: dt.date,
                  plan_task: int | None = None) -> Campaign:
    """开展专项行动: the safety office for any lead agency, a leader for its own."""
    if not may_open_campaign(actor):
        raise NotPermitted(_("Campaigns are opened by the safety office or by the leader of the lead agency."))
    errors = {}
    try:
        name = check_text(name, field="name", required=True, max_length=120)
    except InvalidInput as error:
        errors.update(error.fields)
    by_code = {agency.code: agency for agency in Agency.objects.exclude(kind=Agency.Kind.UNIT)}
    lead_agency = by_code.get(lead) if isinstance(lead, str) else None
    if lead_agency is None:
        errors["lead"] = [_("Choose the lead agency.")]
    elif not actor.is_supervisor and lead_agency.pk != actor.agency_id:
        errors["lead"] = [_("A leader opens campaigns led by the leader's own agency.")]
    if not isinstance(agencies, list) or not all(isinstance(code, str) and code in by_code for code in agencies):
        errors["agencies"] = [_("Unknown agency.")]
        agencies = []
    if not isinstance(starts_on, dt.date) or not isinstance(ends_on, dt.date):
        errors["ends_on"] = [_("Give the campaign's first and last day.")]
    elif ends_on < starts_on:
        errors["ends_on"] = [_("The campaign ends on or after the day it starts.")]
    elif (ends_on - starts_on).days >= LONGEST_DAYS:
        errors["ends_on"] = [_("A campaign lasts at most a year.")]
    if plan_task is not None and (isinstance(plan_task, bool) or not isinstance(plan_task, int)
                                  or not PlanTask.objects.filter(number=plan_task).exists()):
        errors["plan_task"] = [_("Unknown key task.")]
    if errors:
        raise InvalidInput(fields=errors)
    campaign = Campaign.objects.create(name=name, lead=lead_agency, starts_on=starts_on, ends_on=ends_on,
                                       plan_task=plan_task, created_by=actor)
    campaign.agencies.set([by_code[code] for code in dict.fromkeys(agencies) if by_code[code] != lead_agency])
    return campaign
