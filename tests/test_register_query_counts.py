"""What the register's list and an enterprise's page cost in statements,
pinned per persona (the emergency bureau's officer, who sees the whole
register, and a street's, who sees its street and the enterprises of its
cases), and that the figure stays the same as the register and an
enterprise's cases grow: no statement per row, and the page's lists are
capped (docs/register.md). Speed is measured by ``manage.py bench``, never by
a test."""
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from .conftest import Api
from .factories import make_uscc, register_enterprise
from .scenarios import complete, register

pytestmark = pytest.mark.django_db

# page: the session, the user with their agency and unread notifications counted, the enterprise, its cases
# counted by state, the newest cases, its penalties, its open tasks, its documents, licences, installations,
# products.
PAGE = 11
# list (page): the session, the user with their agency and unread notifications counted, the streets to check
# the filter, the rows counted (up to 1,000, common.paging), the streets of the filter form, the rows; (API,
# authenticated beforehand): the streets, the rows counted, the rows.
LIST_PAGE, LIST_API = 6, 3


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    client.get("/")  # the session's first use
    return client


def statements(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = call()
        assert response.status_code == 200
    return len(queries)


@pytest.fixture
def personas(lead_officer, street_officer):
    return {"bureau": lead_officer, "street": street_officer}


def test_the_enterprise_page_costs_the_same_however_many_cases_and_shows_the_newest(
        personas, street_officer, lead_officer, monkeypatch):
    monkeypatch.setattr("register.selectors.SHOWN", 2)
    enterprise = register_enterprise(60)
    clients, counted, numbers = {name: client_of(user) for name, user in personas.items()}, [], []
    clients["bureau"].get(f"/enterprises/{enterprise.uscc}/")  # the penalty provisions, read once per process
    for _ in range(2):
        for _ in range(3):
            case = register(street_officer, enterprise={"uscc": enterprise.uscc})
            complete(lead_officer, case["id"], "verify", "confirm", grade="general")  # a document, a task
            numbers.append(case["number"])
        counted.append({name: statements(lambda client=client: client.get(f"/enterprises/{enterprise.uscc}/"))
                        for name, client in clients.items()})
    assert counted[0] == counted[1] == {"bureau": PAGE, "street": PAGE}
    text = clients["street"].get(f"/enterprises/{enterprise.uscc}/").content.decode()
    shown = re.findall(r'<tr><td><a href="[^"]+">(NK-[A-Z]{2}-\d{4}-\d{6})</a></td>', text)  # the table of cases
    assert shown == [numbers[-1], numbers[-2]]  # the newest two, newest first
    assert f"/cases/?q={enterprise.uscc}" in text  # the rest in the case list
    assert re.search(r"<strong>6</strong>", text)  # counted by state: all six, not the two shown


def test_the_list_costs_the_same_statements_however_long_the_register(personas, street_officer):
    counted = []
    for start in (70, 80):
        for serial in range(start, start + 3):
            register_enterprise(serial, risk="red")  # in 长虹街道
            register_enterprise(serial + 100, street="gulou")
        register(street_officer, enterprise={"uscc": make_uscc(start)})  # an open hazard
        register(street_officer, enterprise={"uscc": make_uscc(start + 100)})  # one of gulou with a case here
        figures = {}
        for name, user in personas.items():
            client = client_of(user)
            figures[name] = {
                "page": statements(lambda: client.get("/enterprises/")),
                "api": statements(lambda user=user: Api(user).get("enterprises")),
                "api_filtered": statements(lambda user=user: Api(user).get(
                    "enterprises", street="changhong", risk="red", open_hazards="true")),
            }
        counted.append(figures)
    pinned = {"page": LIST_PAGE, "api": LIST_API, "api_filtered": LIST_API}
    assert counted[0] == counted[1] == {"bureau": pinned, "street": pinned}
