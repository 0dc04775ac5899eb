"""Adding an idea in a phone-sized chromium: pin on the map, photo, similar ideas, idea page.
Both languages, axe-core clean. The keyboard-only path is in test_keyboard_journeys.py."""

import re

import pytest
from PIL import Image

import app.accounts  # noqa: F401 - before app.ideas: app.core.auth <-> app.accounts import cycle
from tests.e2e.helpers import assert_accessible, foreign_requests
from tests.factories import create_user
from tests.ideas.submit_helpers import make_idea, point_in

pytestmark = pytest.mark.e2e

TEXTS = {
    "lv": {
        "continue": "Turpināt",
        "similar": "Vai jūsu priekšlikums jau ir šeit?",
        "submit_mine": "Nē, iesniegt manu priekšlikumu",
        "published": "Paldies! Jūsu priekšlikums ir publicēts.",
        "approximate": "Precīza vieta kartē nav atzīmēta",
        "title_error": "Nosaukumam jābūt no 5 līdz 120 rakstzīmēm garam.",
    },
    "en": {
        "continue": "Continue",
        "similar": "Is your idea already here?",
        "submit_mine": "No, submit my idea",
        "published": "Thank you! Your idea is published.",
        "approximate": "The exact place is not on the map",
        "title_error": "The title must be 5 to 120 characters long.",
    },
}


def sign_in(page, lang: str, email: str) -> None:
    # The machine running the suite may be busy: allow slow page loads, fail only on real stalls.
    page.set_default_timeout(30_000)
    page.goto(f"/{lang}/account/sign-in")
    page.locator("#email").fill(email)
    page.locator("#password").fill("correct horse battery")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/{lang}/$"))


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "soliņš.jpg"
    Image.new("RGB", (640, 480), (120, 160, 90)).save(path, "JPEG")
    return path


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_resident_pins_an_idea_adds_a_photo_sees_similar_ideas_and_submits(
    page, live_server, balvu, photo, lang
):
    neighbour = create_user(email="kaimins@example.lv")
    lat, lon = point_in("Balvi")
    make_idea(neighbour, title="Soliņi pie ezera krasta", at=(lat, lon))
    create_user(email="liene@example.lv", display_name="Liene")
    texts = TEXTS[lang]

    sign_in(page, lang, "liene@example.lv")
    page.goto(f"/{lang}/ideas/new")
    page.locator(".folium-map .leaflet-tile-pane").wait_for(state="attached")
    assert_accessible(page)

    # A click on the middle of the map places the pin and fills the coordinates in.
    page.locator(".folium-map").click()
    page.locator(".leaflet-marker-icon").wait_for()
    assert re.fullmatch(r"5\d\.\d{6}", page.locator("#lat").input_value())
    assert re.fullmatch(r"2\d\.\d{6}", page.locator("#lon").input_value())

    page.locator("#title").fill("Soliņi pie ezera")
    page.locator("#description").fill("Gar ezeru nav kur apsēsties; lūdzu, uzstādiet soliņus.")
    page.locator("#category").select_option(index=2)
    page.locator("#photo_1").set_input_files(photo)
    page.locator("#alt_1").fill("Ezera krasts bez soliņiem")
    page.get_by_role("button", name=texts["continue"]).click()

    page.get_by_role("heading", name=texts["similar"]).wait_for()
    assert page.get_by_role("link", name="Soliņi pie ezera krasta").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name=texts["submit_mine"]).click()

    page.get_by_text(texts["published"]).wait_for()
    assert re.search(rf"/{lang}/ideas/\d+$", page.url)
    assert page.get_by_role("heading", level=1).inner_text() == "Soliņi pie ezera"
    image = page.get_by_role("img", name="Ezera krasts bez soliņiem")
    image.wait_for()
    assert page.evaluate(
        "(img) => img.complete && img.naturalWidth === 400", image.element_handle()
    )
    page.locator(".idea-map .leaflet-marker-icon").wait_for()
    assert_accessible(page)
    assert foreign_requests(page, live_server) == []
