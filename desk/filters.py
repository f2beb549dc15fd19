"""Filters of the case list (page and API: kind, state, lead_agency, street,
overdue, supervised, q) and of the task lists. The task lists' case filters
(search, kind, street) are the case list's own, applied to the tasks' cases,
so the rule for what a search matches is written once."""
import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from cases.models import Case, State
from common.inputs import InputFormMixin
from flows.models import CaseTask
from flows.registry import kind_choices
from org.models import Agency
from org.selectors import streets


class AnyYesNo(forms.NullBooleanSelect):
    """A yes/no filter whose empty choice reads 不限 (any), not 未知 (unknown)."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", _("Any")), ("true", _("Yes")), ("false", _("No"))]


class CaseFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=kind_choices, empty_label=_("All kinds"))
    state = django_filters.ChoiceFilter(label=_("State"), choices=State.choices, empty_label=_("All states"))
    lead_agency = django_filters.ModelChoiceFilter(
        label=_("Lead agency"), queryset=Agency.objects.all(), to_field_name="code", empty_label=_("All agencies"),
    )
    street = django_filters.ModelChoiceFilter(
        label=_("Street"), queryset=Agency.objects.streets(), to_field_name="code", empty_label=_("All streets"),
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue", widget=AnyYesNo)
    supervised = django_filters.BooleanFilter(label=_("Under supervision"), method="filter_supervised",
                                              widget=AnyYesNo)
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")

    class Meta:
        model = Case
        fields = ["kind", "state", "lead_agency", "street", "overdue", "supervised", "q"]

    def filter_overdue(self, queryset, name, value):
        if value:  # the same rows as a filter on the list's own query, not a second scan joined to it
            return queryset.overdue()
        return queryset.exclude(pk__in=queryset.overdue().values("pk"))

    def filter_supervised(self, queryset, name, value):
        listed = queryset.supervised().values("pk")
        return queryset.filter(pk__in=listed) if value else queryset.exclude(pk__in=listed)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value) | Q(title__icontains=value) | Q(enterprise__name__icontains=value)
            | Q(enterprise__uscc=value.upper()) | Q(address__icontains=value)
        )



class TaskFilterForm(InputFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Case number, title, enterprise or address")}),
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    street = forms.ChoiceField(label=_("Street"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    sort = forms.ChoiceField(label=_("Order"), required=False, choices=[
        ("", _("Most urgent first")), ("newest", _("Newest first")), ("oldest", _("Oldest first")),
    ])

    # the orders a list may take besides its own (urgency; the archive newest done first)
    ORDERS = {"newest": ("-created", "-id"), "oldest": ("created", "id")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # the twelve streets are reference data: read once per TTL, not on every inbox
        self.fields["street"].choices = [("", _("All streets")), *((s.code, s.label) for s in streets())]
        self.fields["kind"].choices = [("", _("All kinds")), *kind_choices()]

    def filter(self, tasks: QuerySet[CaseTask]) -> QuerySet[CaseTask]:
        """The tasks that match the valid fields (a wrong value is ignored, and shown as wrong)."""
        if not self.is_bound:
            return tasks
        self.is_valid()
        data = self.cleaned_data
        case_filters = {
            "q": (data.get("q") or "").strip(),
            "kind": data.get("kind") or "",
            "street": data.get("street") or "",
        }
        if any(case_filters.values()):
            cases = CaseFilter({k: v for k, v in case_filters.items() if v}, queryset=Case.objects.all()).qs
            tasks = tasks.filter(case__in=cases.values("pk"))
        if data.get("overdue"):
            tasks = tasks.overdue()
        if data.get("sort") in self.ORDERS:
            tasks = tasks.order_by(*self.ORDERS[data["sort"]])
        return tasks

    @property
    def active(self) -> bool:
        """Any filter that narrows the list (an order alone does not)."""
        return self.is_bound and any(self.cleaned_data.get(name) for name in self.fields if name != "sort")
