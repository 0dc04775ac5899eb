"""Register → confirm by e-mail → sign in → switch language → see the map of 21 units."""

import re

import pytest

from tests.conftest import body_text
from tests.e2e.helpers import assert_accessible, foreign_requests

pytestmark = pytest.mark.e2e


def test_resident_registers_confirms_signs_in_and_switches_language(
    page, live_server, balvu, mailbox
):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "lv"
    page.get_by_role("link", name="Reģistrēties").first.click()
    page.get_by_label("E-pasts").fill("liene@example.lv")
    page.get_by_label("Vārds, ko redz citi").fill("Liene")
    page.get_by_label("Parole", exact=True).fill("ļoti-gara-parole")
    page.get_by_label("Atkārtojiet paroli").fill("ļoti-gara-parole")
    page.get_by_label("Esmu izlasījis privātuma paziņojumu").check()
    page.get_by_role("button", name="Reģistrēties").click()
    page.get_by_role("heading", name="Pārbaudiet savu e-pastu").wait_for()

    [message] = mailbox.to("liene@example.lv")
    link = re.search(r"https?://\S+", body_text(message)).group(0)
    assert link.startswith(live_server.url)
    page.goto(link)
    page.get_by_text("Paldies, jūsu e-pasta adrese ir apstiprināta.").wait_for()

    page.get_by_label("E-pasts").fill("liene@example.lv")
    page.get_by_label("Parole").fill("ļoti-gara-parole")
    page.get_by_role("button", name="Pieslēgties").click()
    page.get_by_text("Jūs esat pieslēdzies.").wait_for()
    assert page.get_by_role("link", name="Liene").is_visible()

    page.get_by_role("link", name="English").click()
    page.wait_for_url(re.compile(r"/en/$"))
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("heading", name="Together for Balvu novads").wait_for()
    # 21 unit outlines drawn by Leaflet and 21 entries in the accessible list.
    page.wait_for_function("document.querySelectorAll('.leaflet-overlay-pane path').length === 21")
    assert page.locator("#units-list li").count() == 21
    assert page.locator(".folium-map").get_attribute("aria-label") == (
        "Map of the territorial units of Balvu novads"
    )
    assert foreign_requests(page, live_server) == []
    assert page.console_errors == []


@pytest.mark.parametrize("lang", ["lv", "en"])
@pytest.mark.parametrize(
    "path",
    ["/", "/account/sign-in", "/account/register", "/account/reset", "/privacy", "/accessibility"],
)
def test_pages_are_accessible_and_load_nothing_from_elsewhere(page, live_server, balvu, lang, path):
    page.goto(f"/{lang}{path}")
    page.wait_for_load_state("networkidle")
    assert_accessible(page)
    assert foreign_requests(page, live_server) == []


def test_not_found_page_is_accessible(page, live_server):
    page.goto("/en/nowhere")
    assert_accessible(page)
