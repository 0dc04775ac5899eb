"""Writes for territories: importing GeoJSON boundaries."""

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select, text

from app.extensions import db
from app.territories.models import Municipality, Territory, TerritoryKind


class ImportError_(ValueError):
    """A boundary file that cannot be imported; nothing was changed."""


@dataclass
class UnitFeature:
    name: str
    name_en: str | None
    kind: TerritoryKind
    atvk: str | None
    approximate: bool
    geometry: dict
    centre: tuple[float, float] | None


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0


def read_boundary_file(path: Path) -> list[UnitFeature]:
    """Parse and check a GeoJSON FeatureCollection of territorial units."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportError_(f"cannot read {path}: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise ImportError_(f"{path} is not valid JSON: {exc}") from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ImportError_("the file must be a GeoJSON FeatureCollection")
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise ImportError_("the FeatureCollection has no features")
    units, seen = [], set()
    for number, feature in enumerate(features, start=1):
        units.append(_read_feature(number, feature, seen))
    return units


def _read_feature(number: int, feature: object, seen: set[str]) -> UnitFeature:
    where = f"feature {number}"
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise ImportError_(f"{where} is not a GeoJSON Feature")
    props = feature.get("properties") or {}
    geometry = feature.get("geometry")
    name = str(props.get("name") or "").strip()
    if not name:
        raise ImportError_(f"{where} has no 'name' property")
    if name in seen:
        raise ImportError_(f"{where}: the name {name!r} appears twice")
    seen.add(name)
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise ImportError_(f"{where} ({name}) must have a Polygon or MultiPolygon geometry")
    kind_value = str(props.get("kind") or "parish")
    try:
        kind = TerritoryKind(kind_value)
    except ValueError as exc:
        raise ImportError_(f"{where} ({name}): kind must be 'town' or 'parish'") from exc
    centre = props.get("centre")
    if centre is not None:
        if not (
            isinstance(centre, list)
            and len(centre) == 2
            and all(isinstance(c, int | float) for c in centre)
        ):
            raise ImportError_(f"{where} ({name}): centre must be [lon, lat]")
        centre = (float(centre[0]), float(centre[1]))
    atvk = props.get("atvk")
    return UnitFeature(
        name=name,
        name_en=(props.get("name_en") or None),
        kind=kind,
        atvk=str(atvk) if atvk else None,
        approximate=bool(props.get("approximate", False)),
        geometry=geometry,
        centre=centre,
    )


def _repaired_geometry_sql(geojson: str):
    """ST_MakeValid may return a collection; keep its polygons as one MultiPolygon."""
    geom = func.ST_SetSRID(func.ST_GeomFromGeoJSON(geojson), 4326)
    return func.ST_Multi(func.ST_CollectionExtract(func.ST_MakeValid(geom), 3))


def import_territories(
    units: Iterable[UnitFeature],
    municipality_name: str,
    progress: Callable[[UnitFeature], None] | None = None,
) -> ImportResult:
    """Upsert units by name inside one municipality. Flushes; the caller commits."""
    municipality = db.session.scalar(
        select(Municipality).where(Municipality.name == municipality_name)
    )
    if municipality is None:
        municipality = Municipality(name=municipality_name)
        db.session.add(municipality)
        db.session.flush()
    result = ImportResult()
    for unit in units:
        geometry = db.session.scalar(select(_repaired_geometry_sql(json.dumps(unit.geometry))))
        if db.session.scalar(select(func.ST_IsEmpty(geometry))):
            raise ImportError_(f"{unit.name}: the geometry is empty after repair")
        if unit.centre:
            centre = func.ST_SetSRID(func.ST_MakePoint(*unit.centre), 4326)
        else:
            centre = func.ST_PointOnSurface(geometry)
        territory = db.session.scalar(
            select(Territory).where(
                Territory.municipality_id == municipality.id, Territory.name == unit.name
            )
        )
        if territory is None:
            territory = Territory(municipality=municipality, name=unit.name)
            db.session.add(territory)
            result.created += 1
        else:
            result.updated += 1
        territory.name_en = unit.name_en
        territory.kind = unit.kind
        territory.atvk = unit.atvk
        territory.approximate = unit.approximate
        territory.geom = geometry
        territory.centre = centre
        db.session.flush()
        if progress:
            progress(unit)
    return result


def set_statement_timeout_for_import() -> None:
    # A big official boundary file may need more than the web request timeout.
    db.session.execute(text("SET LOCAL statement_timeout = '5min'"))
