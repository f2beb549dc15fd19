"""No internal code is shown to a person: the dashboard, the board and the
case list's filters read in words (Chinese by default), never
``street_changhong``, ``hazard``, ``pending`` or Django's ``---------``."""
import re

from .scenarios import complete, register


def visible_text(html: str) -> str:
    """The page's text a person reads (no tags, attributes or scripts)."""
    return re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S))


CODES = ("street_changhong", "emergency", "hazard", "illegal_site", "pending", "missing", "on_time", "---------",
         "未知")


def test_the_dashboard_reads_in_words(client, street_officer, lead_officer, supervisor):
    case = register(street_officer)
    complete(lead_officer, case["id"], "verify", "confirm", grade="general", agencies=[])
    client.force_login(supervisor)
    text = visible_text(client.get("/plan/dashboard/").content.decode())
    assert "长虹街道" in text and "区应急局" in text and "事故隐患" in text
    assert not [code for code in CODES if code in text]


def test_the_case_list_filters_read_in_words(client, supervisor):
    client.force_login(supervisor)
    html = client.get("/cases/").content.decode()
    text = visible_text(html)
    assert "全部状态" in text and "全部单位" in text and "不限" in text
    assert "---------" not in text and "未知" not in text


def test_the_board_counts_overdue_in_whole_working_days(client, street_officer, supervisor):
    import datetime as dt

    import time_machine
    from django.utils import timezone

    from .test_supervision_escalation import escalate

    with time_machine.travel(timezone.now() - dt.timedelta(days=20), tick=False):
        register(street_officer)
    escalate(timezone.now())
    client.force_login(supervisor)
    html = client.get("/supervision/").content.decode()
    cells = re.findall(r'class="overdue-days">([^<]*)<', html)
    assert cells and all(re.fullmatch(r"\d+", cell) for cell in cells), cells
