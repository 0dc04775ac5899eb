"""Hostile input in a real browser: an idea title carrying HTML stays text on the map (marker
name and popup) and on the idea page (issue 7, item 3; the rest is in tests/security)."""

import re

import pytest

from tests.factories import BALVI, create_idea

pytestmark = pytest.mark.e2e

PAYLOAD = '<img src=x onerror="window.kopaPwned=1"><script>window.kopaPwned=2</script>'


def test_html_in_a_title_stays_text_in_the_marker_the_popup_and_the_page(page, balvu):
    title = f"Soliņi {PAYLOAD}"
    idea = create_idea(title=title)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    page.goto(f"/lv/ideas?lat={BALVI[1]}&lon={BALVI[0]}&z=17")
    page.locator("[data-ideas-map][data-loaded]").wait_for()
    # The marker's accessible name holds the title as text (a "/" would end Playwright's regex).
    marker = page.get_by_role("button", name=re.compile(re.escape(title.split("</")[0])))
    marker.click()
    popup = page.locator(".leaflet-popup-content")
    popup.get_by_text(title, exact=True).wait_for()
    assert page.locator("img[src='x']").count() == 0
    assert page.evaluate("window.kopaPwned") is None

    page.goto(f"/lv/ideas/{idea.id}")
    assert page.get_by_role("heading", level=1).inner_text() == title
    assert page.locator("img[src='x']").count() == 0
    assert page.evaluate("window.kopaPwned") is None
    assert dialogs == []
