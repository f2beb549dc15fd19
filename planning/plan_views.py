"""Pages: the plan's 22 key tasks with each unit's progress (重点任务进展),
the safety office's warnings and interviews of units whose work lags, and
the special campaigns (专项行动)."""
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.exceptions import DomainError, InvalidInput, NotFound
from common.inputs import InputFormMixin, parse_day, parse_id
from org.models import Agency

from . import campaigns, progress
from .models import PlanTask
from .period import period_text, plan_period


@require_GET
@login_required
def plan_tasks(request):
    table = progress.progress_table()
    counts = {state: 0 for state in progress.STATE_LABELS}
    for row in table:
        for unit in row.units:
            counts[unit.state] += 1
    return render(request, "planning/tasks.html", {
        "table": table, "counts": [(progress.STATE_LABELS[state], state, n) for state, n in counts.items()],
        "period": period_text(plan_period()),
    })


@require_POST
@login_required
def lagging_action(request, action):
    """警示提醒 or 约谈 of a unit whose work on a key task lags (the safety office)."""
    task = parse_id(request.POST.get("task"))
    try:
        if action == "warn":
            progress.warn_lagging_unit(actor=request.user, agency_code=request.POST.get("agency", ""),
                                       task_number=task, note=request.POST.get("note", ""))
            messages.success(request, _("The warning was sent to the unit's leaders."))
        elif action == "interview":
            progress.interview_lagging_unit(
                actor=request.user, agency_code=request.POST.get("agency", ""), task_number=task,
                held_on=parse_day(request.POST.get("held_on"), field="held_on"),
                attendees=request.POST.get("attendees", ""), minutes=request.POST.get("minutes", ""))
            messages.success(request, _("The interview was recorded."))
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, error.text())
    return redirect(reverse("planning:tasks") + (f"#task-{task}" if task else ""))


class CampaignForm(InputFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    lead = forms.ModelChoiceField(label=_("Lead agency"), queryset=Agency.objects.none(), to_field_name="code")
    agencies = forms.ModelMultipleChoiceField(label=_("Agencies taking part"), required=False, to_field_name="code",
                                              queryset=Agency.objects.none(),
                                              widget=forms.CheckboxSelectMultiple)
    starts_on = forms.DateField(label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"}))
    plan_task = forms.TypedChoiceField(label=_("Key task of the plan"), required=False, coerce=int,
                                       empty_value=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.exclude(kind=Agency.Kind.UNIT).order_by("kind", "code")
        self.fields["lead"].queryset = agencies if user.is_supervisor else agencies.filter(pk=user.agency_id)
        self.fields["agencies"].queryset = agencies
        self.fields["plan_task"].choices = [("", "—")] + [
            (task.number, f"{task.number}. {task.text[:30]}") for task in PlanTask.objects.order_by("number")]


@require_http_methods(["GET", "POST"])
@login_required
def campaign_list(request):
    form = None
    if campaigns.may_open_campaign(request.user):
        form = CampaignForm(request.POST if request.method == "POST" else None, user=request.user)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                campaign = campaigns.open_campaign(
                    actor=request.user, name=data["name"], lead=data["lead"].code,
                    agencies=[agency.code for agency in data["agencies"]], starts_on=data["starts_on"],
                    ends_on=data["ends_on"], plan_task=data["plan_task"])
            except InvalidInput as error:
                for name, problems in error.fields.items():
                    form.add_error(name if name in form.fields else None, problems)
            else:
                messages.success(request, _("The campaign was opened."))
                return redirect("planning:campaign", campaign.pk)
    elif request.method == "POST":
        raise PermissionDenied
    rows = [(campaign, campaigns.counts_of(campaign)) for campaign in campaigns.campaigns_with_counts()]
    return render(request, "planning/campaigns.html", {"rows": rows, "form": form})


@require_GET
@login_required
def campaign_detail(request, campaign_id):
    try:
        campaign = campaigns.get_campaign(campaign_id)
    except NotFound:
        raise Http404
    return render(request, "planning/campaign.html", {
        "campaign": campaign, "counts": campaigns.counts_of(campaign),
        "cases": campaigns.campaign_cases(request.user, campaign)[:200],
    })
