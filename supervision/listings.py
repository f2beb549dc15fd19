"""挂牌督办 as practice has it: the safety office lists a major hazard with a
notice (挂牌督办通知书), requirements and a deadline of at most a year; the
listing is published within 5 working days; the lead agency may ask once for
an extension, which the safety office grants or refuses; removal (摘牌) is
asked for by the lead agency only after the rectification passed review
(复查合格) and approved by the safety office (摘牌通知书); the removal is
published within 5 working days. A listed case cannot be closed (销号) before
its removal. Each step writes the case's history in its transaction.

The limits are data (``org.limits``: listing_deadline_max,
listing_publication); docs/rules.md gives their sources."""
import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, CaseHistory
from cases.selectors import get_visible_case, visible_cases
from common.exceptions import Conflict, InvalidInput, NotFound, NotPermitted
from common.inputs import check_text, parse_day
from enforcement import documents
from org.limits import basis_note, latest_day
from org.models import Agency, User
from org.outbox import notify, supervisors, users_of
from org.selectors import agency_by_code

from .models import Listing

State, Extension = Listing.State, Listing.Extension


def listings_visible_to(user: User):
    return (Listing.objects.filter(case__in=visible_cases(user))
            .select_related("case", "responsible_agency", "listed_by").order_by("-listed_at", "-id"))


def get_visible_listing(user: User, listing_id) -> Listing:
    if not (isinstance(listing_id, int) or (isinstance(listing_id, str) and listing_id.isascii()
                                            and listing_id.isdigit())):
        raise NotFound()
    listing = listings_visible_to(user).filter(pk=int(listing_id)).first()
    if listing is None:
        raise NotFound()
    return listing


def listing_in_force(case: Case) -> Listing | None:
    """The case's listing not yet removed; none, unread, when the case is not ``listed`` (kept with the listing)."""
    if not case.listed:
        return None
    return case.listings.exclude(state=State.REMOVED).select_related("responsible_agency").first()


def _require_supervisor(user: User) -> None:
    if not user.is_supervisor:
        raise NotPermitted(_("Only the safety office lists, decides and approves."), code="not_supervisor")


def _require_responsible(user: User, listing: Listing) -> None:
    if user.agency_id not in (listing.responsible_agency_id, listing.case.lead_agency_id):
        raise NotPermitted(_("Only the agency responsible for the rectification asks for this."),
                           code="not_responsible")


def _locked(user: User, listing_id) -> tuple[Listing, Case]:
    listing = get_visible_listing(user, listing_id)
    case = Case.objects.select_for_update().get(pk=listing.case_id)
    listing = Listing.objects.select_for_update().select_related("responsible_agency").get(pk=listing.pk)
    listing.case = case
    return listing, case


def _date(value, field: str) -> dt.date:
    return parse_day(value, field=field)


def _text(value, field: str, *, required: bool = True) -> str:
    return check_text(value, field=field, required=required, max_length=5000)


def _link(case: Case) -> str:
    return reverse("desk:case", args=[case.pk])


# --- listing -------------------------------------------------------------------------------
@transaction.atomic
def list_case(*, actor: User, case_id, deadline, requirements: str, responsible_agency: str = "") -> Listing:
    """挂牌督办 a major hazard: from its confirmation as major until it is closed."""
    case = get_visible_case(actor, case_id)
    _require_supervisor(actor)
    case = Case.objects.select_for_update().select_related("lead_agency").get(pk=case.pk)
    if not case.is_major or not case.is_open:
        raise Conflict(_("Only an open major hazard can be listed for supervision."), code="not_major")
    if case.listed:
        raise Conflict(_("The case is already listed."), code="already_listed")
    deadline = _date(deadline, "deadline")
    today = timezone.localdate()
    longest = latest_day("listing_deadline_max", today)
    if not today < deadline <= longest:
        raise InvalidInput(fields={"deadline": [_("The deadline must be after today and at most %(day)s. %(basis)s")
                                                % {"day": longest, "basis": basis_note("listing_deadline_max")}]})
    requirements = _text(requirements, "requirements")
    agency = case.lead_agency
    if responsible_agency:
        try:
            agency = agency_by_code(responsible_agency)
        except KeyError:
            raise InvalidInput(fields={"responsible_agency": [_("Unknown agency.")]})
    listing = Listing.objects.create(
        case=case, responsible_agency=agency, requirements=requirements, deadline=deadline, listed_by=actor,
        publication_due=latest_day("listing_publication", today),
    )
    case.listed = True
    case.save(update_fields=["listed"])
    case.record(actor=actor, action="listed", note=requirements,
                data={"listing": listing.pk, "deadline": deadline.isoformat(), "agency": agency.code})
    documents.issue(type="listing_notice", case=case, actor=actor, action="list",
                    extra={"deadline": deadline.isoformat(), "requirements": requirements,
                           "responsible": agency.official_name or agency.name})
    notify(recipients=users_of(agency.pk, leaders_only=True), level=3, case_id=case.pk, link=_link(case),
           subject=_("Listed for supervision (挂牌督办): %(number)s, due %(deadline)s")
           % {"number": case.number, "deadline": deadline})
    return listing


@transaction.atomic
def publish(*, actor: User, listing_id, channel: str, published_on=None) -> Listing:
    """公示: of the listing, or of its removal once removed."""
    listing, case = _locked(actor, listing_id)  # 404 before 403: nothing leaks
    _require_supervisor(actor)
    channel = _text(channel, "channel")
    day = _date(published_on, "published_on") if published_on else timezone.localdate()
    if day > timezone.localdate() or day < timezone.localtime(listing.listed_at).date():
        raise InvalidInput(fields={"published_on": [_("Give the day it was published.")]})
    if listing.state == State.REMOVED:
        if listing.removal_published_on:
            raise Conflict(_("The removal is already published."), code="already_published")
        listing.removal_published_on, listing.removal_publication_channel = day, channel
        action = "removal_published"
    else:
        if listing.published_on:
            raise Conflict(_("The listing is already published."), code="already_published")
        listing.published_on, listing.publication_channel = day, channel
        action = "listing_published"
    listing.save()
    case.record(actor=actor, action=action, note=channel, data={"listing": listing.pk, "on": day.isoformat()})
    return listing


# --- extension ---------------------------------------------------------------------------------
@transaction.atomic
def request_extension(*, actor: User, listing_id, reason: str, new_deadline) -> Listing:
    """The lead agency asks, once and before the deadline, for a later deadline."""
    listing, case = _locked(actor, listing_id)
    _require_responsible(actor, listing)
    if listing.state != State.LISTED:
        raise Conflict(_("The listing is no longer in force."), code="not_listed")
    if listing.extension:
        raise Conflict(_("An extension can be asked for once."), code="extension_once")
    if timezone.localdate() > listing.deadline:
        raise Conflict(_("An extension is asked for before the deadline."), code="past_deadline")
    reason = _text(reason, "reason")
    new_deadline = _date(new_deadline, "new_deadline")
    longest = latest_day("listing_deadline_max", listing.deadline)
    if not listing.deadline < new_deadline <= longest:
        raise InvalidInput(fields={"new_deadline": [_("The new deadline must be after %(old)s and at most %(day)s.")
                                                    % {"old": listing.deadline, "day": longest}]})
    listing.extension, listing.extension_reason = Extension.REQUESTED, reason
    listing.extension_deadline, listing.extension_requested_at = new_deadline, timezone.now()
    listing.save()
    case.record(actor=actor, action="extension_requested", note=reason,
                data={"listing": listing.pk, "new_deadline": new_deadline.isoformat()})
    notify(recipients=supervisors(), level=1, case_id=case.pk, link=_link(case),
           subject=_("Extension asked for (挂牌督办): %(number)s") % {"number": case.number}, body=reason)
    return listing


@transaction.atomic
def decide_extension(*, actor: User, listing_id, grant: bool, note: str = "") -> Listing:
    listing, case = _locked(actor, listing_id)  # 404 before 403: nothing leaks
    _require_supervisor(actor)
    if listing.extension != Extension.REQUESTED:
        raise Conflict(_("No extension is waiting for a decision."), code="no_extension")
    note = _text(note, "note", required=not grant)
    listing.extension = Extension.GRANTED if grant else Extension.REFUSED
    listing.extension_note, listing.extension_decided_at = note, timezone.now()
    if grant:
        listing.deadline = listing.extension_deadline
    listing.save()
    case.record(actor=actor, action="extension_granted" if grant else "extension_refused", note=note,
                data={"listing": listing.pk, "deadline": listing.deadline.isoformat()})
    notify(recipients=users_of(listing.responsible_agency_id, leaders_only=True), level=1, case_id=case.pk,
           link=_link(case), subject=(_("Extension granted: %(number)s, due %(deadline)s") if grant
                                      else _("Extension refused: %(number)s, due %(deadline)s"))
           % {"number": case.number, "deadline": listing.deadline}, body=note)
    return listing


# --- removal (摘牌) ------------------------------------------------------------------------------
def review_passed_since(case: Case, moment: dt.datetime) -> bool:
    """复查合格 after the listing: a review of the case passed since ``moment``."""
    return CaseHistory.objects.filter(case=case, step="review", action="pass", at__gte=moment).exists()


@transaction.atomic
def request_removal(*, actor: User, listing_id, report: str) -> Listing:
    """The lead agency asks for the removal, once the rectification passed review."""
    listing, case = _locked(actor, listing_id)
    _require_responsible(actor, listing)
    if listing.state != State.LISTED:
        raise Conflict(_("The listing is no longer in force."), code="not_listed")
    if not review_passed_since(case, listing.listed_at):
        raise Conflict(_("Removal is asked for only after the rectification passed review (复查合格)."),
                       code="review_not_passed")
    listing.removal_report = _text(report, "report")
    listing.state, listing.removal_requested_at = State.REMOVAL_REQUESTED, timezone.now()
    listing.save()
    case.record(actor=actor, action="removal_requested", note=listing.removal_report, data={"listing": listing.pk})
    notify(recipients=supervisors(), level=1, case_id=case.pk, link=_link(case),
           subject=_("Removal asked for (摘牌): %(number)s") % {"number": case.number})
    return listing


@transaction.atomic
def approve_removal(*, actor: User, listing_id, note: str = "") -> Listing:
    """摘牌: the safety office approves; the removal notice is issued and the case may be closed."""
    listing, case = _locked(actor, listing_id)  # 404 before 403: nothing leaks
    _require_supervisor(actor)
    if listing.state != State.REMOVAL_REQUESTED:
        raise Conflict(_("No removal is waiting for approval."), code="no_removal")
    today = timezone.localdate()
    listing.state, listing.removed_at = State.REMOVED, timezone.now()
    listing.removal_publication_due = latest_day("listing_publication", today)
    listing.save()
    case.listed = False
    case.save(update_fields=["listed"])
    note = _text(note, "note", required=False)
    case.record(actor=actor, action="removed", note=note, data={"listing": listing.pk})
    notice = case.documents.filter(type="listing_notice").order_by("-issued_at").first()
    documents.issue(type="delisting_notice", case=case, actor=actor, action="approve_removal",
                    extra={"notice_number": notice.number if notice else "", "report": listing.removal_report,
                           "listed_on": timezone.localtime(listing.listed_at).date().isoformat(), "note": note})
    notify(recipients=users_of(listing.responsible_agency_id, leaders_only=True), level=1, case_id=case.pk,
           link=_link(case), subject=_("Removed from the list (摘牌): %(number)s") % {"number": case.number})
    return listing


def listings_needing_attention() -> dict:
    """For the board: listings late with their publication, extensions and removals waiting."""
    today = timezone.localdate()
    in_force = Listing.objects.exclude(state=State.REMOVED).select_related("case", "responsible_agency")
    return {
        "unpublished": Listing.objects.filter(
            Q(published_on__isnull=True, publication_due__lt=today)
            | Q(state=State.REMOVED, removal_published_on__isnull=True, removal_publication_due__lt=today)
        ).select_related("case"),
        "extensions": in_force.filter(extension=Extension.REQUESTED),
        "removals": in_force.filter(state=State.REMOVAL_REQUESTED),
        "past_deadline": in_force.filter(deadline__lt=today),
    }


def responsible_agencies():
    return Agency.objects.case_agencies()
