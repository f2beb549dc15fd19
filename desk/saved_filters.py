"""Saved filters (常用筛选): a person names the filters of a list and finds
them again in one click. Only the list's own filter keys are kept, so a saved
filter is never more than a link the person could have typed."""
from django.db import transaction
from django.http import QueryDict
from django.utils.translation import gettext as _

from common.exceptions import InvalidInput, NotFound
from common.inputs import check_text, parse_id
from common.prepared import Prepared
from org.models import User

from .models import SavedFilter

MAX_PER_PAGE = 20
KEYS = {
    SavedFilter.Page.TASKS: ("box", "q", "kind", "street", "overdue", "sort"),
    SavedFilter.Page.CASES: ("kind", "state", "lead_agency", "street", "overdue", "supervised", "q"),
}


def saved_filters(user: User, page: str) -> list[SavedFilter]:
    return _SAVED.objects(user_id=user.pk, page=page)


# every task list and case list page reads them: compiled once (common.prepared)
_SAVED = Prepared(lambda user_id, page: SavedFilter.objects.filter(user_id=user_id, page=page))


@transaction.atomic
def save_filter(*, user: User, page: str, name: object, query: object) -> SavedFilter:
    """Keep the list's filters in ``query`` under ``name`` (the same name replaces)."""
    if page not in KEYS:
        raise InvalidInput(fields={"page": [_("Unknown list.")]})
    name = check_text(name if isinstance(name, str) else "", field="name", required=True, max_length=40)
    raw = check_text(query if isinstance(query, str) else "", field="query", max_length=500)
    given = QueryDict(raw)
    kept = QueryDict(mutable=True)
    for key in KEYS[page]:
        values = [value for value in given.getlist(key) if value]
        if values:
            kept.setlist(key, values)
    if not kept:
        raise InvalidInput(fields={"query": [_("Choose some filters first: there is nothing to save.")]})
    existing = SavedFilter.objects.select_for_update().filter(user=user, page=page)
    if existing.count() >= MAX_PER_PAGE and not existing.filter(name=name).exists():
        raise InvalidInput(fields={"name": [_("At most %(n)d saved filters per list; delete one first.")
                                            % {"n": MAX_PER_PAGE}]})
    saved, _created = SavedFilter.objects.update_or_create(user=user, page=page, name=name,
                                                           defaults={"query": kept.urlencode()[:500]})
    return saved


@transaction.atomic
def delete_filter(*, user: User, filter_id: object) -> None:
    """Delete one of the person's own saved filters (another's is not found)."""
    deleted, _rows = SavedFilter.objects.filter(user=user, pk=parse_id(filter_id)).delete()
    if not deleted:
        raise NotFound()
