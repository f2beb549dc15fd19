"""``make run``'s demo data: a first login finds a working desk. Every kind
in several states, some overdue and escalated, one major hazard listed,
documents, a campaign and reports; run twice it changes nothing; it refuses a
database with real users."""
import pytest
from django.core.management import CommandError, call_command

from cases.models import Case
from enforcement.models import Document
from flows.registry import kinds
from flows.selectors import count_in_box
from org.models import User
from planning.models import ProgressReport
from supervision.models import Listing

from .factories import officer


def test_the_demo_desk_is_not_empty(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    User.objects.all().delete()
    call_command("seed_demo")
    call_command("seed_demo_cases")
    cases = Case.objects.filter(source="演示数据")
    assert {case.kind for case in cases} == set(kinds())  # every kind, penalties and roadside checks too
    assert {"discovered", "consulting", "rectifying", "reviewing", "closed"} <= {case.state for case in cases}
    assert cases.overdue().exists() and cases.listed().exists()
    assert Listing.objects.filter(case__in=cases).count() == 1
    assert Document.objects.filter(case__in=cases).count() >= 10
    assert ProgressReport.objects.filter(status="submitted").count() == 4
    officer1 = User.objects.get(username="emergency_officer1")
    assert count_in_box(officer1, "inbox").exists() or count_in_box(officer1, "queue").exists()

    call_command("seed_demo_cases")  # again: nothing more
    assert Case.objects.filter(source="演示数据").count() == cases.count()


def test_the_demo_refuses_a_database_with_real_users(db):
    officer("emergency", username="real_person")
    with pytest.raises(CommandError):
        call_command("seed_demo_cases")
    assert not Case.objects.exists()
