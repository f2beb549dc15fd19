"""Filters and search of the task lists on the inbox page. The case filters
(search, kind, street) are the case list's own (``cases.filters.CaseFilter``),
applied to the tasks' cases, so the rule for what a search matches is
written once."""
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cases.filters import CaseFilter
from cases.models import Case, CaseKind
from enforcement.inputs import InputFormMixin
from enforcement.models import Agency
from enforcement.refcache import cached

from .models import CaseTask
from .selectors import only_overdue


class TaskFilterForm(InputFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Case number, title, enterprise or address")}),
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *CaseKind.choices])
    street = forms.ChoiceField(label=_("Street"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # the twelve streets are reference data: read once per TTL, not on every inbox
        streets = cached("flows.inbox.streets", lambda: list(
            Agency.objects.filter(kind=Agency.Kind.STREET).values_list("code", "name")
        ))
        self.fields["street"].choices = [("", _("All streets")), *streets]

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
            tasks = only_overdue(tasks)
        return tasks

    @property
    def active(self) -> bool:
        return self.is_bound and any(self.cleaned_data.get(name) for name in self.fields)
