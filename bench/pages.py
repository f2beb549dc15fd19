"""The HTML pages an officer opens, measured through Django's test client
logged in as the persona: the whole request, middleware, session, view and
template, without a network. The inbox (我的待办, with the queue's preview
under it), the queue (单位待领), the page of the persona's most urgent task
and the file of its case (案件)."""
from django.conf import settings
from django.test import Client
from django.urls import reverse

from flows.selectors import tasks_in_box
from org.models import User

PAGES = ("inbox", "queue", "task", "case")


def _client(user: User) -> Client:
    # the test client's host is allowed where the settings allow any ("*" with DEBUG on),
    # else the first allowed host; HTTPS as behind the proxy, so no redirect is measured
    host = "testserver" if {"testserver", "*"} & set(settings.ALLOWED_HOSTS) else settings.ALLOWED_HOSTS[0]
    client = Client(HTTP_HOST=host)
    client.force_login(user)
    return client


def _get(client: Client, url: str):
    def call():
        response = client.get(url, secure=True)
        assert response.status_code == 200, (url, response.status_code)

    return call


def _first_task(user: User):
    """The task the persona would open first: the most urgent it holds, else the queue's."""
    return tasks_in_box(user, "inbox").first() or tasks_in_box(user, "queue").first()


def html_pages(personas: dict[str, User], *, timed, repeat: int) -> dict:
    """p50/p95 of each page for each persona (a persona with no task open to
    it has no task or case page)."""
    results = {}
    for name, user in personas.items():
        client = _client(user)
        urls = {"inbox": reverse("desk:inbox"), "queue": reverse("desk:inbox") + "?box=queue"}
        task = _first_task(user)
        if task is not None:
            urls["task"] = reverse("desk:task", args=[task.pk])
            urls["case"] = reverse("desk:case", args=[task.case_id])
        results[name] = {page: timed(_get(client, url), repeat) for page, url in urls.items()}
    return results


def worst(results: dict, page: str, field: str):
    """The slowest persona's figure for ``page`` (None if no persona had one)."""
    return max((pages[page][field] for pages in results.values() if page in pages), default=None)
