"""Work that finds the officer: a consultation request, a police referral and
a major hazard's closure each reach the people who may take them, by each
channel (in the app, by e-mail, in the agency's group robot), at once or
grouped as each person chose; nobody else hears of them."""
import base64
import hashlib
import hmac
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail

from flows.arrivals import send_digests
from org.models import GroupRobot, Notification, RobotMessage, User
from org.outbox import deliver_pending
from org.robots import deliver_robot_messages

from .conftest import Api
from .factories import officer
from .scenarios import complete, register, task_id

SECRET = "SEC0123456789abcdef"


@pytest.fixture
def robot_receiver():
    """A local stand-in for a DingTalk group robot: records each POST and checks its signature."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            query = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
            timestamp, sign = query.get("timestamp", [""])[0], query.get("sign", [""])[0]
            expected = base64.b64encode(hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(),
                                                 hashlib.sha256).digest()).decode()
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            received.append({"signed": sign == expected, "text": body["text"]["content"]})
            answer = json.dumps({"errcode": 0 if sign == expected else 310000}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/robot/send?access_token=t", received
    server.shutdown()


def subjects(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("subject", flat=True))


def test_a_consultation_request_reaches_the_consulted_agency_once_per_officer(
        street_officer, lead_officer, police_officer):
    eager = officer("police", username="police_eager", arrivals=User.Arrivals.IMMEDIATE)
    quiet = officer("police", username="police_quiet", arrivals=User.Arrivals.OFF)
    bystander = officer("education", username="edu_officer")
    first, second = register(street_officer), register(street_officer, title="第二处隐患")
    for case in (first, second):
        complete(lead_officer, case["id"], "verify", "confirm", grade="general", agencies=["police"])

    # at once: one notice per task, written with the completion
    assert len([s for s in subjects(eager) if first["number"] in s or second["number"] in s]) == 2
    assert not subjects(police_officer)  # chose the default, the digest
    send_digests()
    digest = Notification.objects.get(recipient=police_officer)
    assert "2" in digest.subject and first["number"] in digest.body and second["number"] in digest.body
    assert digest.link == "/?box=queue"
    assert not subjects(quiet) and not subjects(bystander)
    # nothing is told twice
    send_digests()
    assert Notification.objects.filter(recipient=police_officer).count() == 1


def test_a_task_claimed_before_the_digest_is_not_in_it(street_officer, lead_officer, police_officer):
    other = officer("police", username="police_other")
    case = register(street_officer)
    complete(lead_officer, case["id"], "verify", "confirm", grade="general", agencies=["police"])
    assert Api(other).post(f"tasks/{task_id(case['id'], 'consult', 'police')}/claim").status_code == 200
    send_digests()
    assert not subjects(police_officer) and not subjects(other)


def test_a_referral_reaches_the_police_by_mail_and_by_their_group_robot(
        street_officer, lead_officer, lead_leader, police_officer, future_date, robot_receiver):
    url, received = robot_receiver
    police_officer.email = "police@nankai.gov.local"
    police_officer.save()
    no_mail = officer("police", username="police_nomail", email="n@nankai.gov.local", email_notifications=False)
    GroupRobot.objects.create(agency=police_officer.agency, platform=GroupRobot.Platform.DINGTALK, url=url,
                              secret=SECRET)
    case = register(street_officer, kind="illegal_site", title="居民楼内私存危险化学品")
    complete(lead_officer, case["id"], "verify", "confirm", note="现场核实")
    for queue in ("emergency", "police", "street_changhong"):
        who = {"emergency": lead_officer, "police": police_officer}.get(queue) or street_officer
        complete(who, case["id"], "inspect", "record", queue=queue, findings="f")
    complete(lead_officer, case["id"], "decide", "ban", measures="取缔", deadline=future_date, refer_police=True,
             referral_reason="涉嫌非法储存危险物质罪", documents=["transfer_letter", "investigation_report"])
    complete(lead_leader, case["id"], "approve_referral", "approve")
    mail.outbox.clear()
    received.clear()
    RobotMessage.objects.all().delete()

    send_digests()
    deliver_pending()
    deliver_robot_messages()
    to_police = [m for m in mail.outbox if m.to == ["police@nankai.gov.local"]]
    assert len(to_police) == 1 and case["number"] in to_police[0].body
    assert not [m for m in mail.outbox if m.to == [no_mail.email]]  # chose no e-mail: in the app only
    assert Notification.objects.filter(recipient=no_mail).count() == 1
    assert len(received) == 1 and received[0]["signed"] and case["number"] in received[0]["text"]
    assert RobotMessage.objects.get().delivered_at is not None


def test_a_robot_that_refuses_is_retried_later_and_its_address_never_logged(
        street_officer, lead_officer, police_officer, robot_receiver, caplog):
    url, received = robot_receiver
    GroupRobot.objects.create(agency=police_officer.agency, platform=GroupRobot.Platform.DINGTALK, url=url,
                              secret="wrong-secret")
    case = register(street_officer)
    complete(lead_officer, case["id"], "verify", "confirm", grade="general", agencies=["police"])
    send_digests()
    assert deliver_robot_messages() == 0
    message = RobotMessage.objects.get()
    assert message.delivered_at is None and message.attempts == 1 and message.last_error == "RobotRefused"
    assert message.next_attempt_at > message.created_at
    assert "access_token" not in caplog.text and "wrong-secret" not in caplog.text


def test_a_major_closure_reaches_the_safety_office_supervisors(
        street_officer, lead_officer, lead_officer2, lead_leader, supervisor, future_date):
    supervisor.arrivals = User.Arrivals.IMMEDIATE
    supervisor.save()
    case = register(street_officer)
    complete(lead_officer, case["id"], "verify", "confirm", grade="major", criteria=[5])
    complete(lead_officer, case["id"], "consult", "agree", queue="emergency", opinion="同意")
    complete(lead_officer, case["id"], "order", "issue", deadline=future_date, measures="m",
             responsible_person="p", funds="f", contingency_plan="c")
    complete(lead_officer, case["id"], "rectify", "submit", report="done")
    Notification.objects.all().delete()
    complete(lead_officer2, case["id"], "review", "pass", note="ok")
    told = Notification.objects.filter(case_id=case["id"])
    assert [n.recipient for n in told] == [supervisor]
    assert case["number"] in told[0].subject
    assert not Notification.objects.filter(recipient=lead_leader).exists()  # a general case's closer, not this one


def test_preferences_by_page_and_api(client, police_officer):
    client.force_login(police_officer)
    response = client.post("/notifications/preferences/", {"arrivals": "immediate"})
    assert response.status_code == 302
    police_officer.refresh_from_db()
    assert police_officer.arrivals == "immediate" and police_officer.email_notifications is False
    page = client.get("/notifications/").content.decode()
    assert "每件即时通知" in page or "At once" in page

    api = Api(police_officer)
    assert api.put("me/preferences", {"arrivals": "digest", "email": True}).json() == {
        "arrivals": "digest", "email": True}
    refused = api.put("me/preferences", {"arrivals": "sometimes", "email": "yes"})
    assert refused.status_code == 400 and set(refused.json()["error"]["fields"]) == {"arrivals", "email"}
    police_officer.refresh_from_db()
    assert police_officer.arrivals == "digest" and police_officer.email_notifications is True


def test_live_counts(street_officer, lead_officer, police_officer):
    api = Api(police_officer)
    assert api.get("me/counts").json() == {"inbox": 0, "queue": 0, "unread": 0}
    case = register(street_officer)
    complete(lead_officer, case["id"], "verify", "confirm", grade="general", agencies=["police"])
    send_digests()
    assert api.get("me/counts").json() == {"inbox": 0, "queue": 1, "unread": 1}
    api.post(f"tasks/{task_id(case['id'], 'consult', 'police')}/claim")
    assert api.get("me/counts").json() == {"inbox": 1, "queue": 0, "unread": 1}


def _consultation(street, em, em2, leader, supervisor, future):
    case = register(street)
    complete(em, case["id"], "verify", "confirm", grade="general", agencies=["police"])
    return case


def _referral(street, em, em2, leader, supervisor, future):
    case = register(street, kind="illegal_site", title="居民楼内私存危险化学品")
    complete(em, case["id"], "verify", "confirm", note="现场核实")
    police = User.objects.get(username="police_receiver")
    for queue, who in (("emergency", em), ("police", police), ("street_changhong", street)):
        complete(who, case["id"], "inspect", "record", queue=queue, findings="f")
    complete(em, case["id"], "decide", "ban", measures="取缔", deadline=future, refer_police=True,
             referral_reason="涉嫌非法储存危险物质罪", documents=["transfer_letter", "investigation_report"])
    complete(leader, case["id"], "approve_referral", "approve")
    return case


def _major_closure(street, em, em2, leader, supervisor, future):
    case = register(street)
    complete(em, case["id"], "verify", "confirm", grade="major", criteria=[5])
    complete(em, case["id"], "consult", "agree", queue="emergency", opinion="同意")
    complete(em, case["id"], "order", "issue", deadline=future, measures="m", responsible_person="p", funds="f",
             contingency_plan="c")
    complete(em, case["id"], "rectify", "submit", report="done")
    complete(em2, case["id"], "review", "pass", note="ok")
    return case


# what arrives, the step it arrives as, and whose queue takes it
ARRIVALS = {"consultation": (_consultation, "consult", "police"), "referral": (_referral, "police_review", "police"),
            "major closure": (_major_closure, "close", "safety_office")}


@pytest.mark.parametrize("channel", ["app", "email", "robot"])
@pytest.mark.parametrize("arrival", list(ARRIVALS))
def test_each_arrival_reaches_its_queue_by_each_channel(arrival, channel, street_officer, lead_officer, lead_officer2,
                                                        lead_leader, future_date, robot_receiver):
    scenario, step, agency = ARRIVALS[arrival]
    role = User.Role.SUPERVISOR if agency == "safety_office" else User.Role.OFFICER
    receiver = officer(agency, role, username=f"{agency}_receiver", email=f"{agency}@nankai.gov.local")
    elsewhere = officer("education", username="edu_bystander", email="edu@nankai.gov.local")
    url, received = robot_receiver
    for code in (agency, "education"):
        GroupRobot.objects.create(agency=receiver.agency if code == agency else elsewhere.agency,
                                  platform=GroupRobot.Platform.DINGTALK, url=url, secret=SECRET)
    if arrival == "referral":
        officer("police", username="police_receiver_inspector")
    case = scenario(street_officer, lead_officer, lead_officer2, lead_leader, receiver, future_date)
    assert task_id(case["id"], step, agency)  # it waits in that queue
    Notification.objects.exclude(recipient=receiver).delete()
    mail.outbox.clear()

    send_digests()
    deliver_pending()
    deliver_robot_messages()
    if channel == "app":
        told = Notification.objects.filter(recipient=receiver)
        assert any(case["number"] in note.body or case["number"] in note.subject for note in told)
        assert not Notification.objects.filter(recipient=elsewhere).exists()
    elif channel == "email":
        assert [m for m in mail.outbox if m.to == [receiver.email] and case["number"] in m.body]
        assert not [m for m in mail.outbox if m.to == [elsewhere.email]]
    else:
        assert [r for r in received if r["signed"] and case["number"] in r["text"]]
        assert RobotMessage.objects.filter(robot__agency=elsewhere.agency).count() == 0
