"""The open data page in Latvian and English: reachable from the footer, accessible, no
third-party requests, and its downloads work in a real browser."""

import json
from pathlib import Path

import pytest

from tests.e2e.helpers import assert_accessible, foreign_requests
from tests.opendata.ideas import add_idea

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("lang", "link", "heading", "download"),
    [
        ("lv", "Atvērtie dati", "Datu vārdnīca", "Lejupielādēt: Priekšlikumi (GeoJSON)"),
        ("en", "Open data", "Data dictionary", "Download Ideas as GeoJSON"),
    ],
)
def test_open_data_page_is_accessible_and_downloads_work(
    page, live_server, balvu, lang, link, heading, download
):
    add_idea(title="Soliņi pie ezera")
    page.goto(f"/{lang}/accessibility")
    page.get_by_role("contentinfo").get_by_role("link", name=link).click()
    page.get_by_role("heading", name=heading).wait_for()
    assert page.locator("html").get_attribute("lang") == lang
    assert_accessible(page)
    with page.expect_download() as info:
        page.get_by_role("link", name=download).click()
    document = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert document["license"] == "CC BY 4.0"
    assert [f["properties"]["title"] for f in document["features"]] == ["Soliņi pie ezera"]
    assert foreign_requests(page, live_server) == []
