"""An administrator uploads a boundary file, checks the preview and imports it; both pages pass
axe-core and load nothing from a third party."""

import json
import re

import pytest
from sqlalchemy import func, select

from app.accounts.models import Role
from app.territories.models import Territory
from tests.e2e.helpers import assert_accessible, foreign_requests
from tests.factories import PASSWORD, create_user

pytestmark = pytest.mark.e2e

NEW_UNIT = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": "Jaunciema pagasts", "name_en": "Jaunciems parish"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [[27.9, 57.3], [27.95, 57.3], [27.95, 57.33], [27.9, 57.33], [27.9, 57.3]]
                ],
            },
        }
    ],
}


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_admin_previews_and_imports_a_boundary_file(
    page, live_server, csrf_app, balvu, tmp_path, monkeypatch, lang
):
    monkeypatch.setitem(csrf_app.config, "TERRITORY_IMPORT_DIR", str(tmp_path / "boundaries"))
    admin = create_user(Role.ADMIN, email="admin@example.lv")
    balvu.session.commit()
    page.goto(f"/{lang}/account/sign-in")
    page.locator("#email").fill(admin.email)
    page.locator("#password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/{lang}/$"))

    page.goto(f"/{lang}/admin/territories")
    page.locator(".map-frame .leaflet-interactive").first.wait_for()
    assert page.locator("#units-table tbody tr").count() == 21
    assert_accessible(page)

    path = tmp_path / "jaunciems.geojson"
    path.write_text(json.dumps(NEW_UNIT), encoding="utf-8")
    page.locator("#boundary_file").set_input_files(str(path))
    page.locator("main form[enctype] button[type=submit]").click()
    page.locator("[data-plan=created]").wait_for()
    assert page.locator("[data-plan=created] li").all_inner_texts() == ["Jaunciema pagasts"]
    assert page.locator("[data-plan=untouched] li").count() == 21
    page.locator(".map-frame .leaflet-interactive").first.wait_for()
    assert_accessible(page)

    page.locator("form[action$='/admin/territories/import'] button").click()
    page.wait_for_url(re.compile(rf"/{lang}/admin/territories$"))
    assert page.locator("#units-table tbody tr").count() == 22
    assert foreign_requests(page, live_server) == []
    balvu.session.expire_all()
    assert balvu.session.scalar(select(func.count()).select_from(Territory)) == 22
