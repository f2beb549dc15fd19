"""Filters of the case list (API and page): kind, state, lead_agency, street,
overdue, supervised, q."""
import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enforcement.models import Agency

from .models import OPEN_STATES, Case, CaseKind, State


class CaseFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=CaseKind.choices)
    state = django_filters.ChoiceFilter(label=_("State"), choices=State.choices)
    lead_agency = django_filters.ModelChoiceFilter(
        label=_("Lead agency"), queryset=Agency.objects.all(), to_field_name="code"
    )
    street = django_filters.ModelChoiceFilter(
        label=_("Street"), queryset=Agency.objects.filter(kind=Agency.Kind.STREET), to_field_name="code"
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")
    supervised = django_filters.BooleanFilter(label=_("Under supervision"), method="filter_supervised")
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")

    class Meta:
        model = Case
        fields = ["kind", "state", "lead_agency", "street", "overdue", "supervised", "q"]

    def filter_overdue(self, queryset, name, value):
        late = Q(state__in=OPEN_STATES, due_at__lt=timezone.now())
        return queryset.filter(late) if value else queryset.exclude(late)

    def filter_supervised(self, queryset, name, value):
        return queryset.filter(supervision_level__gte=3) if value else queryset.filter(supervision_level__lt=3)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value) | Q(title__icontains=value) | Q(enterprise__name__icontains=value)
            | Q(enterprise__uscc=value.upper()) | Q(address__icontains=value)
        )
