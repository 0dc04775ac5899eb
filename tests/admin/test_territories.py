"""Administrators import territorial units in the browser: upload, preview, confirm."""

import io
import json

import pytest
from sqlalchemy import func, select

from app.accounts.models import Role
from app.audit import AuditEntry
from app.territories.models import Municipality, Territory
from tests.conftest import boundary_file
from tests.factories import create_idea, create_user, sign_in, territory

NEW_UNIT = {
    "type": "Feature",
    "properties": {"name": "Jaunciema pagasts", "name_en": "Jaunciems parish", "kind": "parish"},
    "geometry": {
        "type": "Polygon",
        "coordinates": [[[27.9, 57.3], [27.95, 57.3], [27.95, 57.33], [27.9, 57.33], [27.9, 57.3]]],
    },
}


def balvu_features() -> list[dict]:
    return json.loads(boundary_file("balvi_units.geojson").read_text(encoding="utf-8"))["features"]


def changed_file() -> bytes:
    """Balvi with an official border and a new English name, and one new parish."""
    balvi = next(f for f in balvu_features() if f["properties"]["name"] == "Balvi")
    balvi["properties"].update(name_en="Balvi (town)", approximate=False)
    return json.dumps({"type": "FeatureCollection", "features": [balvi, NEW_UNIT]}).encode()


def upload(
    client, raw: bytes, lang: str = "en", municipality: str = "Balvu novads", name="u.geojson"
):
    return client.post(
        f"/{lang}/admin/territories",
        data={"municipality": municipality, "boundary_file": (io.BytesIO(raw), name)},
        content_type="multipart/form-data",
    )


def token_of(page: str) -> str:
    marker = 'name="token" type="hidden" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def plan_names(page: str, kind: str) -> list[str]:
    marker = f'data-plan="{kind}">'
    if marker not in page:
        return []
    block = page[page.index(marker) + len(marker) : page.index("</ul>", page.index(marker))]
    return [item.split("</li>")[0] for item in block.split("<li>")[1:]]


def state(db) -> dict:
    db.session.expire_all()
    rows = db.session.execute(
        select(
            Territory.name, Territory.name_en, Territory.approximate, func.ST_AsText(Territory.geom)
        )
    ).all()
    return {row[0]: tuple(row[1:]) for row in rows}


@pytest.fixture
def import_dir(app, tmp_path, monkeypatch):
    folder = tmp_path / "boundary-files"
    monkeypatch.setitem(app.config, "TERRITORY_IMPORT_DIR", str(folder))
    return folder


@pytest.fixture
def admin(balvu, import_dir):
    return create_user(Role.ADMIN, email="admin@example.lv", display_name="Administratore Anna")


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_the_page_lists_every_unit_with_its_area_ideas_and_borders(client, db, admin, lang):
    create_idea()  # in Balvi
    balvi = territory("Balvi")
    sign_in(client, admin)
    response = client.get(f"/{lang}/admin/territories")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.count('<tr id="territory-') == 21
    row = page[page.index(f'id="territory-{balvi.id}"') :].split("</tr>")[0]
    assert "Balvi town" in row and "Balvu novads" in row
    assert ("Aptuvenas" if lang == "lv" else "Approximate") in row
    assert '<td class="num">1</td>' in row  # one idea
    area = float(row.split('<td class="num">')[1].split("<")[0].replace(",", "."))
    assert 4 < area < 7  # PostGIS on the real outline: about 5.1 km²
    assert "leaflet" in page and "unpkg" not in page and "cdn" not in page.lower()
    assert 'href="#units-table"' in page
    assert ('name="municipality" required type="text" value="Balvu novads"' in page) or (
        'value="Balvu novads"' in page
    )


def test_preview_shows_what_would_change_and_changes_nothing(client, db, admin, import_dir):
    before = state(db)
    sign_in(client, admin)
    response = upload(client, changed_file())
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    page = response.get_data(as_text=True)
    assert plan_names(page, "created") == ["Jaunciema pagasts"]
    assert plan_names(page, "updated") == ["Balvi"]
    untouched = plan_names(page, "untouched")
    assert len(untouched) == 20 and "Balvi" not in untouched and "Viļaka" in untouched
    assert "leaflet" in page and 'href="#file-units"' in page
    assert state(db) == before
    kept = list(import_dir.iterdir())
    assert len(kept) == 1 and kept[0].name != "u.geojson"
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_import_applies_exactly_the_preview_and_is_audited(client, db, admin, import_dir):
    before = state(db)
    sign_in(client, admin)
    token = token_of(
        upload(client, changed_file(), name="oficialas-robezas.geojson").get_data(as_text=True)
    )
    response = client.post("/en/admin/territories/import", data={"token": token})
    assert response.status_code == 302
    after = state(db)
    assert set(after) == set(before) | {"Jaunciema pagasts"}
    assert after["Balvi"][:2] == ("Balvi (town)", False)
    assert {name: after[name] for name in before if name != "Balvi"} == {
        name: value for name, value in before.items() if name != "Balvi"
    }
    new = db.session.scalar(select(Territory).where(Territory.name == "Jaunciema pagasts"))
    assert new.municipality.name == "Balvu novads" and new.name_en == "Jaunciems parish"
    [entry] = db.session.scalars(select(AuditEntry)).all()
    assert entry.action == "territories.import" and entry.actor_id == admin.id
    assert entry.target == "Balvu novads"
    assert entry.after["created"] == 1 and entry.after["updated"] == 1
    assert entry.after["file"] == "oficialas-robezas.geojson"
    assert list(import_dir.iterdir()) == []
    page = client.get("/en/admin/territories").get_data(as_text=True)
    assert "territorial units created: 1, updated: 1" in page
    # The same confirmation again imports nothing.
    again = client.post("/en/admin/territories/import", data={"token": token})
    assert again.status_code == 422
    assert "has expired or was already imported" in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 1


def test_a_new_municipality_is_announced_and_added(client, db, admin):
    sign_in(client, admin)
    raw = json.dumps({"type": "FeatureCollection", "features": [NEW_UNIT]}).encode()
    page = upload(client, raw, municipality="Testa novads").get_data(as_text=True)
    assert "There is no municipality called Testa novads yet" in page
    assert plan_names(page, "untouched") == []
    assert (
        client.post("/en/admin/territories/import", data={"token": token_of(page)}).status_code
        == 302
    )
    assert db.session.scalar(select(Municipality.name).where(Municipality.name == "Testa novads"))


def feature_collection(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def unit(name="X", geometry=None, **props) -> dict:
    return {
        "type": "Feature",
        "properties": {"name": name, **props},
        "geometry": geometry or NEW_UNIT["geometry"],
    }


BAD_FILES = {
    "not-json": (b"PK\x03\x04 a zip file", "The file is not valid JSON", "Fails nav derīgs JSON"),
    "not-a-collection": (
        json.dumps({"type": "Feature"}).encode(),
        "must be a GeoJSON FeatureCollection",
        "jābūt GeoJSON FeatureCollection",
    ),
    "no-name": (feature_collection(unit(name="")), "has no 'name' property", "nav īpašības"),
    "point": (
        feature_collection(unit(geometry={"type": "Point", "coordinates": [27, 57]})),
        "must have a Polygon or MultiPolygon geometry",
        "Polygon vai MultiPolygon",
    ),
    "lks92-metres": (
        feature_collection(
            unit(
                geometry={
                    "type": "Polygon",
                    "coordinates": [
                        [[700000, 300000], [700100, 300000], [700100, 300100], [700000, 300000]]
                    ],
                }
            )
        ),
        "is not a longitude and latitude in degrees",
        "nav garums un platums grādos",
    ),
    "duplicate": (feature_collection(unit("Balvi"), unit("Balvi")), "appears twice", "atkārtojas"),
}


@pytest.mark.parametrize("lang", ["lv", "en"])
@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_changes_nothing_and_says_why(client, db, admin, import_dir, case, lang):
    raw, english, latvian = BAD_FILES[case]
    before = state(db)
    sign_in(client, admin)
    response = upload(client, raw, lang=lang, municipality="Balvu novads (VZD)")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert (latvian if lang == "lv" else english) in page
    assert 'value="Balvu novads (VZD)"' in page  # what the admin typed is kept
    assert state(db) == before
    assert not import_dir.exists() or list(import_dir.iterdir()) == []


def test_a_forged_token_imports_nothing(client, db, admin):
    before = state(db)
    sign_in(client, admin)
    for token in ("", "../../etc/passwd", "eyJrZXkiOiIuLi8uLi9ldGMvcGFzc3dkIn0.forged.sig"):
        response = client.post("/lv/admin/territories/import", data={"token": token})
        assert response.status_code == 422
    assert state(db) == before


def test_a_failed_csrf_token_is_a_bad_request(csrf_app, db, admin):
    client = csrf_app.test_client()
    sign_in(client, admin)  # refused without a token too; the session cookie is what matters
    with client.session_transaction() as session:
        session["_user_id"] = admin.get_id()
        session["_fresh"] = True
    response = upload(client, changed_file())
    assert response.status_code == 400


@pytest.mark.parametrize("role", ["anonymous", "resident", "leader", "staff"])
def test_other_roles_are_refused_and_nothing_changes(client, db, admin, import_dir, role):
    sign_in(client, admin)
    token = token_of(upload(client, changed_file()).get_data(as_text=True))
    client.post("/lv/account/sign-out")
    before = state(db)
    if role != "anonymous":
        user = create_user(
            Role(role),
            email=f"{role}@example.lv",
            territories=[territory("Balvi")] if role == "leader" else None,
        )
        sign_in(client, user)
    expected = (302,) if role == "anonymous" else (403,)
    assert client.get("/lv/admin/territories").status_code in expected
    assert upload(client, changed_file(), lang="lv").status_code in expected
    assert (
        client.post("/lv/admin/territories/import", data={"token": token}).status_code in expected
    )
    assert state(db) == before
    assert len(list(import_dir.iterdir())) == 1  # only the admin's own upload
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0
