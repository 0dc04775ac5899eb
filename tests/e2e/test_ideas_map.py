"""The map of ideas and the list view in a phone-sized chromium, in Latvian and English."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import assert_accessible, foreign_requests
from tests.factories import create_idea

pytestmark = pytest.mark.e2e

VILAKA = (27.6722, 57.18458)


def seed_ideas():
    create_idea(title="Soliņi pie Balvu ezera", status="adopted", support_count=2)
    create_idea(title="Apgaismojums līdz stacijai", category="safety", lon=27.2670, lat=57.1320)
    create_idea(
        title="Viļakas skolas sporta laukums",
        category="culture-sport",
        lon=VILAKA[0],
        lat=VILAKA[1],
    )
    create_idea(title="Paslēpts priekšlikums", hidden=True)


def api_responses(page):
    seen = []
    page.on(
        "response",
        lambda r: seen.append(r) if "/api/v1/ideas.geojson" in r.url else None,
    )
    return seen


@pytest.mark.parametrize(
    ("lang", "texts"),
    [
        (
            "lv",
            {
                "list": "Rādīt kā sarakstu",
                "show": "Rādīt priekšlikumus",
                "open": "Atvērt priekšlikumu",
                "group": "Priekšlikumu grupa",
            },
        ),
        (
            "en",
            {
                "list": "Show as a list",
                "show": "Show ideas",
                "open": "Open the idea",
                "group": "Group of ideas",
            },
        ),
    ],
)
def test_map_loads_ideas_on_move_and_the_list_shows_the_same(page, live_server, balvu, lang, texts):
    seed_ideas()
    responses = api_responses(page)
    page.goto(f"/{lang}/ideas")
    # Whole municipality: clusters and single ideas computed by the server.
    page.locator("[data-ideas-map][data-loaded]").wait_for()
    assert responses and all(r.status == 200 for r in responses)
    first = parse_qs(urlsplit(responses[0].url).query)
    assert set(first) == {"bbox", "zoom", "lang"} and first["lang"] == [lang]
    vilaka_marker = page.get_by_role("button", name=re.compile("Viļakas skolas sporta laukums"))
    vilaka_marker.wait_for()
    group = page.get_by_role("button", name=re.compile(texts["group"]))
    assert group.count() == 1
    # A cluster from the server opens onto its ideas.
    group.click()
    expect(page).to_have_url(re.compile(r"z=1[5-8]\b"))
    expect(page.locator(".idea-marker")).to_have_count(2)

    # A shared street-level view of Balvi: individual markers coloured by status.
    page.goto(f"/{lang}/ideas?lat=57.1316&lon=27.2664&z=17")
    page.locator("[data-ideas-map][data-loaded]").wait_for()
    expect(page.locator(".idea-marker")).to_have_count(2)
    assert parse_qs(urlsplit(responses[-1].url).query)["zoom"] == ["17"]
    assert page.locator(".idea-marker.status-adopted").count() == 1
    assert page.get_by_text("Paslēpts priekšlikums").count() == 0

    # Dragging the map fetches the new part and keeps the view in the URL.
    box = page.locator(".folium-map").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x + 60, y - 60)  # away from the markers
    page.mouse.down()
    page.mouse.move(x + 60, y + 40, steps=5)  # the view moves north
    page.mouse.up()
    expect(page).to_have_url(re.compile(r"lat=57\.13[2-9]\d*&lon=27\.26\d*&z=17"))

    def last_request_covers_the_view() -> bool:
        # The client asks for the view grown to whole map tiles (shared with nearby views).
        bbox = parse_qs(urlsplit(responses[-1].url).query)["bbox"][0]
        _west, south, _east, north = map(float, bbox.split(","))
        lat = float(parse_qs(urlsplit(page.url).query)["lat"][0])
        return south < lat < north and north > 57.1318

    for _ in range(50):
        if last_request_covers_the_view():
            break
        page.wait_for_timeout(100)
    assert last_request_covers_the_view()

    # A popup with the title, the status and a link to the idea page.
    page.get_by_role("button", name=re.compile("Soliņi pie Balvu ezera")).click()
    popup = page.locator(".leaflet-popup-content")
    popup.get_by_text("Soliņi pie Balvu ezera", exact=True).wait_for()
    assert popup.locator(".status-badge.status-adopted").is_visible()
    link = popup.get_by_role("link", name=re.compile(texts["open"]))
    assert re.fullmatch(rf"/{lang}/ideas/\d+", link.get_attribute("href"))

    assert_accessible(page)

    # The list shows the same public ideas.
    page.get_by_role("link", name=texts["list"], exact=True).click()
    page.wait_for_url(re.compile(rf"/{lang}/ideas/list"))
    titles = page.locator(".idea-row__title a").all_inner_texts()
    assert sorted(titles) == sorted(
        ["Soliņi pie Balvu ezera", "Apgaismojums līdz stacijai", "Viļakas skolas sporta laukums"]
    )
    assert_accessible(page)
    assert foreign_requests(page, live_server) == []
    assert page.console_errors == []


def test_filters_are_reflected_in_the_url_and_drive_map_and_list(page, live_server, balvu):
    seed_ideas()
    responses = api_responses(page)
    page.goto("/en/ideas")
    page.locator("[data-ideas-map][data-loaded]").wait_for()
    page.get_by_text("Filters", exact=True).click()  # folded away until a filter is used
    page.get_by_label("Category").select_option("safety")
    page.get_by_label("Search").fill("stacijai")
    page.get_by_role("button", name="Show ideas").click()
    page.wait_for_url(re.compile(r"category=safety"))
    query = parse_qs(urlsplit(page.url).query)
    assert query["category"] == ["safety"] and query["q"] == ["stacijai"]
    page.locator("[data-ideas-map][data-loaded]").wait_for()
    api_query = parse_qs(urlsplit(responses[-1].url).query)
    assert api_query["category"] == ["safety"] and api_query["q"] == ["stacijai"]
    page.get_by_role("button", name=re.compile("Apgaismojums līdz stacijai")).wait_for()
    assert page.locator(".idea-marker, .idea-cluster").count() == 1
    # The filters are kept when switching to the list, where the sort can be chosen.
    page.get_by_role("link", name="Show as a list", exact=True).click()
    page.wait_for_url(re.compile(r"/en/ideas/list\?.*category=safety"))
    assert page.get_by_label("Category").input_value() == "safety"
    assert page.locator(".idea-row__title a").all_inner_texts() == ["Apgaismojums līdz stacijai"]
    page.get_by_label("Sort by").select_option("supported")
    page.get_by_role("button", name="Show ideas").click()
    page.wait_for_url(re.compile(r"sort=supported"))
    assert "category=safety" in page.url
    assert foreign_requests(page, live_server) == []
