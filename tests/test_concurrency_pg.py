"""Simultaneous completions of one task, on PostgreSQL with real threads:
exactly one succeeds and exactly one next task exists."""
import threading

import pytest
from django.db import connection, connections

from cases.models import CaseHistory
from common.exceptions import Conflict
from flows import services
from flows.models import CaseTask

from .conftest import requires_postgres
from .factories import officer
from .scenarios import open_tasks, register, task_id


def _race(n, work):
    barrier = threading.Barrier(n)
    outcomes = []

    def run(i):
        try:
            barrier.wait()
            outcomes.append(("ok", work(i)))
        except Conflict as error:
            outcomes.append(("conflict", error.code))
        except Exception as error:  # noqa: BLE001 - any other failure is reported
            outcomes.append(("error", repr(error)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_four_simultaneous_completions_give_one_success_and_one_next_task(street_officer):
    requires_postgres()
    case = register(street_officer)
    verify = task_id(case["id"], "verify")
    officers = [officer("emergency") for _ in range(4)]

    outcomes = _race(
        4,
        lambda i: services.complete_task(user=officers[i], task_id=verify, action="confirm", data={"grade": "general"}),
    )

    assert sorted(kind for kind, _ in outcomes) == ["conflict", "conflict", "conflict", "ok"], outcomes
    assert len(open_tasks(case["id"], "order")) == 1
    assert CaseTask.objects.get(pk=verify).status == "DONE"
    assert CaseHistory.objects.filter(case_id=case["id"], action="confirm").count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_consultations_finishing_together_create_one_order(street_officer):
    requires_postgres()
    case = register(street_officer)
    lead = officer("emergency")
    services.complete_task(
        user=lead, task_id=task_id(case["id"], "verify"), action="confirm",
        data={"grade": "major", "agencies": ["police", "ecology", "traffic"]},
    )
    consults = open_tasks(case["id"], "consult")
    users = {t.pk: officer(t.agency.code) for t in consults}
    assert connection.vendor == "postgresql"

    outcomes = _race(
        len(consults),
        lambda i: services.complete_task(
            user=users[consults[i].pk], task_id=consults[i].pk, action="agree", data={"opinion": "同意"}
        ),
    )

    assert [kind for kind, _ in outcomes] == ["ok"] * len(consults), outcomes
    assert len(open_tasks(case["id"], "order")) == 1


@pytest.mark.django_db(transaction=True)
def test_claim_race_has_one_winner(street_officer):
    requires_postgres()
    case = register(street_officer)
    verify = task_id(case["id"], "verify")
    officers = [officer("emergency") for _ in range(4)]
    outcomes = _race(4, lambda i: services.claim_task(user=officers[i], task_id=verify).owner_id)
    winners = [value for kind, value in outcomes if kind == "ok"]
    assert len(winners) == 1 and sorted(k for k, _ in outcomes).count("conflict") == 3, outcomes
    assert CaseTask.objects.get(pk=verify).owner_id == winners[0]


@pytest.mark.django_db(transaction=True)
def test_two_scans_at_once_fire_each_rung_once(street_officer):
    requires_postgres()
    import datetime as dt
    from zoneinfo import ZoneInfo

    import time_machine

    from supervision.escalation import scan
    from supervision.models import Escalation

    from .factories import make_uscc

    with time_machine.travel(dt.datetime(2026, 9, 28, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        for n in range(40):
            register(street_officer, enterprise={"name": f"企业{n}", "uscc": make_uscc(700 + n)})
    moment = dt.datetime(2026, 10, 9, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # past due, within the grace
    outcomes = _race(2, lambda i: len(scan(now=moment).fired))
    assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
    assert sum(count for _, count in outcomes) == 80  # the two scans shared the work
    assert Escalation.objects.count() == 80
    for task in CaseTask.objects.filter(flow_task_type="HUMAN", status="NEW"):
        assert sorted(task.escalations.values_list("level", flat=True)) == [1, 2]
    assert CaseHistory.objects.filter(action="escalate").count() == 80
    assert sum(count for _, count in _race(2, lambda i: len(scan(now=moment).fired))) == 0
    from cases.integrity import verify_chains

    assert verify_chains().broken == []  # every chain intact after set-based history rows


@pytest.mark.django_db(transaction=True)
def test_simultaneous_history_writers_extend_the_chain_one_after_the_other(street_officer, settings, tmp_path):
    """Evidence uploaded while a supervisor claims and another officer comments:
    each history writer takes the case's row lock before reading the chain head."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cases import services as case_services
    from cases.integrity import verify_chains
    from cases.models import Case

    from .test_desk_api_evidence import png

    requires_postgres()
    settings.MEDIA_ROOT = tmp_path
    case = register(street_officer)
    officers = [officer("emergency") for _ in range(4)]

    def upload(i):
        return case_services.add_evidence(actor=officers[i], case=Case.objects.get(pk=case["id"]),
                                          upload=SimpleUploadedFile(f"p{i}.png", png()), stage="before")

    outcomes = _race(4, upload)
    assert [kind for kind, _ in outcomes] == ["ok"] * 4, outcomes
    assert CaseHistory.objects.filter(case_id=case["id"], action="evidence").count() == 4
    assert verify_chains().broken == []
