"""Hazardous goods on the road (道路危险货物运输; the plan's key tasks 12 and 13):
the traffic police's roadside check of a hazmat vehicle (路检路查), and the
joint punishment (联合惩戒) by the agencies the violations concern.

    verify --dismiss (no violation)--> dismissed
       |--handoff--> accept_handoff (HandoffSteps)
       +--confirm (路检路查记录)--> punish x (the agencies concerned) in parallel --> close (a traffic leader)
                                 (none concerned, or no joint punishment asked) --> close

The agencies concerned follow the violations: the road transport authority
(``transport``) for the carrier, the emergency bureau for the shipper or the
loading unit, the ecology bureau for a spill. A penalty case is opened from the
check (``source_case``) by the agency that punishes.
"""
import re

from django import forms
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from cases.models import Case
from cases.validators import validate_uscc
from org.selectors import agency_by_code

from .. import actions as act
from ..actions import Action, Issues
from ..forms import ActionForm, CoOfficerForm
from ..nodes import AgencySplit, HumanStep, Switch, lead_leader_queue, participant_queue
from ..registry import Kind
from ..steps import CaseFlow, HandoffSteps, outcome, verify_step

# the violations (codes) a roadside check finds, and the agencies each concerns
VIOLATIONS = (
    ("no_permit", _("No road dangerous-goods transport permit (无道路危险货物运输许可)")),
    ("route", _("Off the route or hours prescribed (未按规定路线、时间行驶)")),
    ("overload", _("Overloaded (超载)")),
    ("no_escort", _("No escort on board (无押运人员)")),
    ("placard", _("Signs and placards wrong (标志标牌不符)")),
    ("documents", _("Waybill or documents incomplete (随车单证不全)")),
    ("packaging", _("Packaging unfit or leaking (包装、泄漏)")),
    ("driver_qualification", _("Driver or escort unqualified (驾驶、押运人员无从业资格)")),
)
CONCERNS = {
    "no_permit": ("transport",),
    "route": ("transport",),
    "overload": ("transport", "emergency"),
    "no_escort": ("transport",),
    "placard": ("transport",),
    "documents": ("transport", "emergency"),
    "packaging": ("transport", "emergency"),
    "driver_qualification": ("transport",),
}
MEASURES = (
    ("corrected", _("Corrected on the spot (当场纠正)")),
    ("detained", _("Vehicle detained and referred (扣留车辆并移交处理)")),
    ("fined", _("Fined on the spot (当场处罚)")),
)
PLATE = re.compile(r"^[\u4e00-\u9fff][A-Z][A-Z0-9]{4,5}[A-Z0-9\u4e00-\u9fff]$")
UN_NUMBER = re.compile(r"^(?:UN)?(\d{4})$")


def concerned_agencies(details: dict) -> list[str]:
    """The agencies the check's violations concern, in a stable order."""
    codes = [code for violation in details.get("violations") or [] for code in CONCERNS.get(violation, ())]
    if details.get("spill"):
        codes.append("ecology")
    return list(dict.fromkeys(sorted(codes)))


# --- registration --------------------------------------------------------------------------
class RegistrationForm(forms.Form):
    """The roadside check: the vehicle, the goods, the carrier and shipper, the people, what was found."""

    vehicle_plate = forms.CharField(label=_("Vehicle plate"), max_length=12, help_text=_("For example 津A12345."))
    un_number = forms.CharField(label=_("UN number of the goods"), max_length=6, help_text=_("Four digits, e.g. 1203."))
    cargo_name = forms.CharField(label=_("Goods"), max_length=100)
    carrier_name = forms.CharField(label=_("Carrier"), max_length=200)
    carrier_uscc = forms.CharField(label=_("Carrier's unified social credit code"), min_length=18, max_length=18,
                                   validators=[validate_uscc])
    shipper_name = forms.CharField(label=_("Shipper or loading unit"), max_length=200, required=False)
    shipper_uscc = forms.CharField(label=_("Shipper's unified social credit code"), min_length=18, max_length=18,
                                   required=False, validators=[validate_uscc])
    driver = forms.CharField(label=_("Driver"), max_length=100)
    escort = forms.CharField(label=_("Escort"), max_length=100, required=False)
    location = forms.CharField(label=_("Place of the check"), max_length=200)
    violations = forms.MultipleChoiceField(label=_("Violations found"), required=False, choices=VIOLATIONS,
                                           widget=forms.CheckboxSelectMultiple)
    spill = forms.BooleanField(label=_("Goods spilled or leaked (泄漏)"), required=False,
                               help_text=_("The ecology bureau joins the punishment."))
    measures = forms.CharField(label=_("Measures taken on the spot"), required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))

    def clean_vehicle_plate(self):
        plate = self.cleaned_data["vehicle_plate"].strip().upper().replace(" ", "").replace("·", "")
        if not PLATE.match(plate):
            raise forms.ValidationError(_("Give a plate such as 津A12345."), code="plate")
        return plate

    def clean_un_number(self):
        match = UN_NUMBER.match(self.cleaned_data["un_number"].strip().upper().replace(" ", ""))
        if not match:
            raise forms.ValidationError(_("A UN number is four digits, e.g. 1203."), code="un_number")
        return f"UN{match.group(1)}"

    def clean_carrier_uscc(self):
        return self.cleaned_data["carrier_uscc"].strip().upper()

    def clean_shipper_uscc(self):
        return self.cleaned_data["shipper_uscc"].strip().upper()


# --- forms and actions ------------------------------------------------------------------------
class ConfirmForm(CoOfficerForm):
    """确认: the check's findings stand; the measures taken; joint punishment asked of the agencies concerned."""

    measure = forms.ChoiceField(label=_("Outcome on the spot"), choices=MEASURES)
    joint = forms.BooleanField(label=_("Ask the agencies concerned for joint punishment (联合惩戒)"), required=False,
                               initial=True)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if self.case is not None and data.get("joint") and not concerned_agencies(self.case.details):
            self.add_error("joint", forms.ValidationError(
                _("No violation found concerns another agency: nothing to punish jointly."), code="none_concerned"))
        return data


class PunishForm(ActionForm):
    measures = forms.CharField(label=_("Punishment or measures taken"), widget=forms.Textarea(attrs={"rows": 3}))
    document = forms.CharField(label=_("Document number"), max_length=60, required=False,
                               help_text=_("The number of the agency's own decision, if any."))


def confirm(case, history, data):
    """The agencies concerned join the case for joint punishment (none when not asked)."""
    codes = concerned_agencies(case.details) if data.get("joint") else []
    case.start_consultation(agencies=[agency_by_code(code) for code in codes], **history)
    labels = dict(VIOLATIONS)
    with translation.override("zh-hans"):  # the record is in Chinese whatever the officer's language
        return {"violations": [str(labels.get(v, v)) for v in case.details.get("violations") or []],
                "measure": str(dict(MEASURES).get(data["measure"], ""))}


def conclude(case, history, data):
    case.conclude(**history)


def punish(case, history, data):
    case.record(**history)


CONFIRM = Action("confirm", _("Confirm"), ConfirmForm, confirm, documents=(Issues("roadside_check_record"),))
PUNISH = Action("punish", _("Punished"), PunishForm, punish)
NO_PUNISHMENT = Action("none", _("No punishment"), act.forms.ReasonForm, act.record)
APPROVE = Action("approve", _("Approve closure"), act.forms.NoteForm, conclude)


class TransportFlow(CaseFlow, HandoffSteps, flow.Flow):
    """Hazardous goods on the road (路检路查)"""

    verify = verify_step(CONFIRM).Next(this.after_verify)
    after_verify = (
        Switch()
        .Case(this.dismissed, outcome("dismiss"))
        .Case(this.accept_handoff, outcome("handoff"))
        .Case(this.joint, this.punishing)
        .Default(this.close)
    )
    joint = AgencySplit(this.punishing_agencies).Each(this.punish)
    punish = HumanStep(
        _("Joint punishment (联合惩戒)"), queue=participant_queue, days=10, actions=[PUNISH, NO_PUNISHMENT],
        basis="区内做法：联合惩戒10个工作日内反馈",
    ).Next(this.joint_done)
    joint_done = flow.Join().Next(this.close)
    close = HumanStep(
        _("Close"), queue=lead_leader_queue, days=3, actions=[APPROVE],
    ).Next(this.closed)
    closed = flow.End()
    dismissed = flow.End()

    def punishing_agencies(self, activation):
        case = activation.process.case
        return sorted(a.code for a in case.participants.all() if a.pk != case.lead_agency_id)

    def punishing(self, activation):
        return bool(self.punishing_agencies(activation))


def describe(case: Case) -> list[tuple[object, object]]:
    """The check's facts in words, and the carrier's or vehicle's earlier checks (repeat offenders)."""
    details, rows = case.details or {}, []
    labels = dict(VIOLATIONS)
    if details.get("violations"):
        rows.append((_("Violations found"), "；".join(str(labels.get(v, v)) for v in details["violations"])))
    if details.get("spill"):
        rows.append((_("Goods spilled or leaked (泄漏)"), _("Yes")))
    earlier = repeat_checks(case)
    if earlier:
        rows.append((_("Earlier checks of this carrier or vehicle"), _("%(count)d earlier roadside checks found "
                                                                        "violations") % {"count": earlier}))
    return rows


def repeat_checks(case: Case) -> int:
    """How many other checks with violations named the same carrier or vehicle (repeat offenders)."""
    details = case.details or {}
    same = Q()
    if details.get("carrier_uscc"):
        same |= Q(details__carrier_uscc=details["carrier_uscc"])
    if details.get("vehicle_plate"):
        same |= Q(details__vehicle_plate=details["vehicle_plate"])
    if not same:
        return 0
    return Case.objects.filter(same, kind="transport").exclude(pk=case.pk).exclude(state="dismissed").count()


KIND = Kind(
    code="transport",
    number_code="TR",
    label=_("Hazmat road transport"),
    flow=TransportFlow,
    lead_agency="traffic",
    registration_form=RegistrationForm,
    detail_fields=(
        ("vehicle_plate", _("Vehicle plate")), ("un_number", _("UN number of the goods")), ("cargo_name", _("Goods")),
        ("carrier_name", _("Carrier")), ("carrier_uscc", _("Carrier's unified social credit code")),
        ("shipper_name", _("Shipper or loading unit")), ("driver", _("Driver")), ("escort", _("Escort")),
        ("location", _("Place of the check")), ("measures", _("Measures taken on the spot")),
    ),
    main_path=("verify", "punish", "close"),
    describe=describe,
    state_labels={"consulting": _("In joint punishment"), "closed": _("Done"), "dismissed": _("No violation found")},
)
