import json

import pytest
from sqlalchemy import func, select

from app.audit import AuditEntry
from app.territories.models import Territory, TerritoryKind
from app.territories.queries import territory_at
from tests.conftest import boundary_file


def run_import(app, path, municipality="Balvu novads"):
    runner = app.test_cli_runner()
    return runner.invoke(args=["territories", "import", str(path), "--municipality", municipality])


def test_cli_imports_the_21_units_and_is_idempotent(app, db):
    first = run_import(app, boundary_file("balvi_units.geojson"))
    assert first.exit_code == 0, first.output
    assert "21 units created, 0 updated" in first.output
    second = run_import(app, boundary_file("balvi_units.geojson"))
    assert second.exit_code == 0, second.output
    assert "0 units created, 21 updated" in second.output
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Territory)) == 21
    kinds = dict(db.session.execute(select(Territory.name, Territory.kind)).all())
    assert kinds["Balvi"] == TerritoryKind.TOWN
    assert kinds["Viļaka"] == TerritoryKind.TOWN
    assert sum(1 for k in kinds.values() if k == TerritoryKind.PARISH) == 19
    assert all(db.session.scalars(select(Territory.approximate)))
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json at all", "not valid JSON"),
        (json.dumps({"type": "Feature"}), "FeatureCollection"),
        (json.dumps({"type": "FeatureCollection", "features": []}), "no features"),
        (
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [{"type": "Feature", "properties": {}, "geometry": None}],
                }
            ),
            "no 'name'",
        ),
        (
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [
                        {
                            "type": "Feature",
                            "properties": {"name": "X"},
                            "geometry": {"type": "Point", "coordinates": [27, 57]},
                        }
                    ],
                }
            ),
            "Polygon or MultiPolygon",
        ),
        (
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [
                        {
                            "type": "Feature",
                            "properties": {"name": "X", "kind": "city"},
                            "geometry": {
                                "type": "Polygon",
                                "coordinates": [[[27, 57], [27.1, 57], [27.1, 57.1], [27, 57]]],
                            },
                        }
                    ],
                }
            ),
            "kind must be",
        ),
    ],
)
def test_bad_files_are_refused_and_nothing_changes(app, db, tmp_path, content, message):
    run_import(app, boundary_file("balvi_units.geojson"))
    path = tmp_path / "bad.geojson"
    path.write_text(content, encoding="utf-8")
    result = run_import(app, path)
    assert result.exit_code != 0
    assert "Nothing was imported" in result.output
    assert message in result.output
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Territory)) == 21


def test_a_bad_feature_late_in_the_file_rolls_everything_back(app, db, tmp_path):
    good = json.loads(boundary_file("balvi_units.geojson").read_text(encoding="utf-8"))
    good["features"].append(
        {
            "type": "Feature",
            "properties": {"name": "Balvi"},
            "geometry": good["features"][0]["geometry"],
        }
    )
    path = tmp_path / "duplicate.geojson"
    path.write_text(json.dumps(good), encoding="utf-8")
    result = run_import(app, path)
    assert result.exit_code != 0
    assert "appears twice" in result.output
    assert db.session.scalar(select(func.count()).select_from(Territory)) == 0


def test_self_intersecting_polygon_is_repaired(app, db, tmp_path):
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[27.0, 57.0], [27.2, 57.2], [27.2, 57.0], [27.0, 57.2], [27.0, 57.0]]],
    }
    path = tmp_path / "bowtie.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"name": "Tauriņš", "kind": "parish"},
                        "geometry": bowtie,
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    result = run_import(app, path, municipality="Testa novads")
    assert result.exit_code == 0, result.output
    unit = db.session.scalar(select(Territory).where(Territory.name == "Tauriņš"))
    assert db.session.scalar(select(func.ST_IsValid(unit.geom)))
    assert db.session.scalar(select(func.GeometryType(unit.geom))) == "MULTIPOLYGON"


@pytest.mark.parametrize(
    ("lon", "lat", "expected"),
    [
        (27.2106, 57.1445, "Kubulu pagasts"),  # Kurna
        (27.6151, 57.0412, "Šķilbēnu pagasts"),  # Rekova
        (27.3648, 56.9041, "Tilžas pagasts"),  # Tilža
        (27.26583, 57.1313, "Balvi"),  # the town centre
    ],
)
def test_territory_for_a_point(balvu, lon, lat, expected):
    assert territory_at(lon, lat).name == expected


def test_point_outside_the_municipality_has_no_territory(balvu):
    assert territory_at(24.1, 56.95) is None  # Rīga


def test_territories_geojson_api(client, balvu):
    response = client.get("/api/v1/territories.geojson")
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    data = response.get_json()
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == 21
    names = {f["properties"]["name"] for f in data["features"]}
    assert {"Balvi", "Viļaka", "Rugāju pagasts"} <= names
    assert data["features"][0]["geometry"]["type"] == "MultiPolygon"
    again = client.get(
        "/api/v1/territories.geojson", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304
