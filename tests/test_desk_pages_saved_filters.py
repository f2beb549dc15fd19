"""Queues sorted as the officer asks, and filters saved by name (常用筛选):
only the list's own keys are kept, a person sees and deletes only their own."""
from desk.models import SavedFilter

from .conftest import Api
from .factories import officer
from .scenarios import register


def test_the_queue_sorts_newest_first_when_asked(street_officer, lead_officer):
    first, second = register(street_officer, title="先登记"), register(street_officer, title="后登记")
    api = Api(lead_officer)
    urgent = [row["case"] for row in api.get("tasks", box="queue").json()["results"]]
    newest = [row["case"] for row in api.get("tasks", box="queue", sort="newest").json()["results"]]
    oldest = [row["case"] for row in api.get("tasks", box="queue", sort="oldest").json()["results"]]
    assert newest == [second["id"], first["id"]] and oldest == [first["id"], second["id"]]
    assert sorted(urgent) == sorted(newest)


def test_a_filter_saved_by_name_and_found_again(client, lead_officer):
    client.force_login(lead_officer)
    response = client.post("/filters/", {"page": "tasks", "name": "长虹逾期",
                                         "query": "box=queue&street=street_changhong&overdue=on&evil=<script>"})
    saved = SavedFilter.objects.get(user=lead_officer)
    assert saved.query == "box=queue&street=street_changhong&overdue=on"  # the unknown key is dropped
    assert response.status_code == 302 and response["Location"].endswith(f"?{saved.query}")
    page = client.get("/").content.decode()
    assert "长虹逾期" in page and f'href="?{saved.query.replace("&", "&amp;")}"' in page

    # the same name replaces; nothing to save is refused; another person's filter is not found
    client.post("/filters/", {"page": "tasks", "name": "长虹逾期", "query": "box=queue&sort=newest"})
    assert SavedFilter.objects.get(user=lead_officer).query == "box=queue&sort=newest"
    client.post("/filters/", {"page": "tasks", "name": "空", "query": "page=2"})
    assert SavedFilter.objects.filter(user=lead_officer).count() == 1
    other = officer("emergency", username="em_other")
    client.force_login(other)
    client.post(f"/filters/{saved.pk}/delete/", {"page": "tasks"})
    assert SavedFilter.objects.filter(pk=saved.pk).exists()
    client.force_login(lead_officer)
    client.post(f"/filters/{saved.pk}/delete/", {"page": "tasks"})
    assert not SavedFilter.objects.exists()


def test_the_case_list_saves_its_filters(client, supervisor):
    client.force_login(supervisor)
    client.post("/filters/", {"page": "cases", "name": "督办中", "query": "supervised=true&kind=hazard"})
    assert "督办中" in client.get("/cases/").content.decode()
    assert client.post("/filters/", {"page": "x", "name": "n", "query": "q=1"}).status_code == 302
    assert SavedFilter.objects.count() == 1


def test_the_case_list_query_count_is_pinned(client, street_officer, supervisor, django_assert_num_queries):
    from .factories import make_uscc

    client.force_login(supervisor)
    for n in range(3):
        register(street_officer, enterprise={"name": f"企业{n}", "uscc": make_uscc(300 + n)})
    client.get("/cases/")
    # session, user with agency and unread notifications, the page's count, its cases with agency, street
    # and enterprise, their participants, the filter's agencies and streets, the saved filters
    with django_assert_num_queries(8):
        client.get("/cases/")
    for n in range(3):
        register(street_officer, enterprise={"name": f"企业{n + 3}", "uscc": make_uscc(310 + n)})
    with django_assert_num_queries(8):  # as many for twice the cases
        client.get("/cases/")
