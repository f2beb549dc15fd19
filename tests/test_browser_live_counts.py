"""Work finds the officer in an open page: a consultation request arriving
for the police shows in the navigation's queue count without a reload."""
from playwright.sync_api import expect

from .factories import officer
from .scenarios import complete, register


def test_the_queue_count_changes_in_an_open_page(web, settings):
    settings.LIVE_COUNTS_SECONDS = 3
    street = officer("street_changhong", username="changhong_lin", full_name="林静")
    emergency = officer("emergency", username="em_sun", full_name="孙强")
    police = officer("police", username="police_gao", full_name="高远")

    page = web.login(police)
    queue_count = page.locator('nav [data-live-count="queue"]')
    expect(queue_count).to_be_hidden()

    case = register(street)
    complete(emergency, case["id"], "verify", "confirm", grade="general", agencies=["police"])
    expect(queue_count).to_have_text("1", timeout=30_000)  # the bound: within 30 s
    expect(queue_count).to_be_visible()
    web.finish()
