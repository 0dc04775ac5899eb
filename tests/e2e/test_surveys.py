"""A leader builds a survey with every kind of question and publishes it; a resident answers
it in English, pinning a place on the map; the leader sees the bar chart and the map of answers
and downloads the CSV. axe-core checks the builder, answer and results pages."""

from pathlib import Path

import pytest

from app.accounts.models import Role
from tests.e2e.helpers import assert_accessible, foreign_requests
from tests.factories import PASSWORD, create_user, territory

pytestmark = pytest.mark.e2e

QUESTIONS = [
    ("single", "Vecuma grupa", ["līdz 30", "30–60", "vairāk nekā 60"]),
    ("multiple", "Ko izmantojat?", ["Bibliotēka", "Parks"]),
    ("scale", "Cik apmierināts esat?", None),
    ("number", "Cik gadus dzīvojat šeit?", None),
    ("short_text", "Viens vārds par ciemu", None),
    ("long_text", "Jūsu ieteikumi", None),
    ("map_point", "Kur vajag soliņu?", None),
    ("ranking", "Kas svarīgāk?", ["Ceļi", "Apgaismojums"]),
]


def _sign_in(page, user, lang):
    page.goto(f"/{lang}/account/sign-in")
    page.locator("#email").fill(user.email)
    page.locator("#password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/{lang}/**")


def _build(page, balvi_id) -> int:
    page.goto("/lv/surveys/new")
    page.get_by_label("Nosaukums (latviski)").fill("Balvu parka aptauja")
    page.locator(f"#territories-{balvi_id}").check()
    page.get_by_role("button", name="Izveidot aptauju").click()
    page.wait_for_url("**/edit")
    survey_id = int(page.url.split("/")[-2])
    assert_accessible(page)
    for kind, prompt, options in QUESTIONS:
        page.locator("form.add-question select").first.select_option(kind)
        page.locator("form.add-question button").first.click()
        page.get_by_label("Jautājums (latviski)").fill(prompt)
        if kind == "scale":
            page.get_by_label("Skala: 1 nozīme (latviski)").fill("Slikti")
            page.get_by_label("Skala: 5 nozīme (latviski)").fill("Lieliski")
        if kind == "number":
            page.get_by_label("Skaitlis: mazākais atļautais (nav obligāts)").fill("0")
            page.get_by_label("Skaitlis: lielākais atļautais (nav obligāts)").fill("100")
        page.get_by_role("button", name="Pievienot jautājumu").click()
        for label in options or []:
            page.locator("#label").fill(label)
            page.get_by_role("button", name="Pievienot variantu").click()
            page.wait_for_url("**#options")
        if kind == "ranking":
            assert_accessible(page)  # the question page with its options
        page.goto(f"/lv/surveys/{survey_id}/edit")
    page.get_by_role("button", name="Publicēt").click()
    assert page.get_by_text("Aptauja publicēta.").is_visible()
    assert_accessible(page)
    return survey_id


def _answer(page, survey_id):
    page.goto(f"/en/surveys/{survey_id}")
    assert page.locator("html").get_attribute("lang") == "en"
    assert_accessible(page)
    page.get_by_label("30–60").check()
    page.get_by_label("Parks").check()
    page.locator("ul.scale").get_by_label("4").check()
    page.get_by_label("Cik gadus dzīvojat šeit?").fill("12")
    page.get_by_label("Viens vārds par ciemu").fill('Zaļš, "kluss"')
    page.get_by_label("Jūsu ieteikumi").fill("Vairāk soliņu\npie ezera")
    picker = page.locator(".pin-picker .folium-map")
    picker.scroll_into_view_if_needed()
    picker.click()  # the middle of the municipality
    page.wait_for_function("document.querySelector('[data-pin-status]').textContent.length > 0")
    assert page.locator("[data-pin-status]").inner_text().startswith("Pin placed at")
    page.get_by_label("Ceļi").select_option("2")
    page.get_by_label("Apgaismojums").select_option("1")
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_url("**/thanks")
    assert page.get_by_role("heading", name="Thank you for your answers!").is_visible()


def test_leader_builds_resident_answers_leader_reads_results(browser, page, live_server, balvu):
    balvi = territory("Balvi")
    leader = create_user(Role.LEADER, territories=[balvi], display_name="Kopienas līdere")
    resident = create_user(locale="en", display_name="Resident")
    _sign_in(page, leader, "lv")
    survey_id = _build(page, balvi.id)

    context = browser.new_context(
        viewport={"width": 1024, "height": 900}, locale="en-GB", base_url=live_server.url
    )
    context.set_default_timeout(10_000)
    resident_page = context.new_page()
    resident_page.requested_urls = []
    resident_page.on("request", lambda req: resident_page.requested_urls.append(req.url))
    try:
        _sign_in(resident_page, resident, "en")
        _answer(resident_page, survey_id)
        assert foreign_requests(resident_page, live_server) == []
    finally:
        context.close()

    page.goto(f"/lv/surveys/{survey_id}/results")
    assert page.get_by_text("1 atbilde").first.is_visible()
    chart = page.locator("svg.bar-chart").first
    assert chart.is_visible()
    assert page.locator(".map-frame .folium-map").count() == 1
    assert page.locator(".map-frame path.leaflet-interactive").count() >= 1  # the answer's cell
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Lejupielādēt CSV (viena rinda katrai atbildei)").click()
    content = Path(download_info.value.path()).read_bytes()
    assert content.startswith("\ufeff".encode())
    text = content.decode("utf-8-sig")
    assert '"Zaļš, ""kluss"""' in text and "30–60" in text
    page.goto(f"/en/surveys/{survey_id}/results")
    assert_accessible(page)
    assert foreign_requests(page, live_server) == []
