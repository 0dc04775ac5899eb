"""Writes for territories: importing GeoJSON boundaries."""

import json
import math
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import func, select, text

from app.extensions import db
from app.i18n import _l
from app.territories.models import Municipality, Territory, TerritoryKind

# What an uploaded boundary file may weigh; the official borders of a whole novads are ~2 MB.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
NAME_LENGTH = 200  # Territory.name and name_en
ATVK_LENGTH = 7


class ImportError_(ValueError):
    """A boundary file that cannot be imported; nothing was changed.

    `message` is a lazy string: it speaks the language of the page (or of the CLI's forced
    locale) when it is shown."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


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


def read_limited(source: Path | str | BinaryIO, max_bytes: int | None = None) -> bytes:
    """The bytes of a file on disk or of an open binary stream (an upload), refused past
    `max_bytes` without reading more than one byte beyond it."""
    limit = -1 if max_bytes is None else max_bytes + 1
    try:
        if isinstance(source, str | Path):
            with Path(source).open("rb") as handle:
                data = handle.read(limit)
        else:
            data = source.read(limit)
    except OSError as exc:
        raise ImportError_(
            _l("The file could not be read: %(reason)s", reason=exc.strerror)
        ) from exc
    if max_bytes is not None and len(data) > max_bytes:
        raise ImportError_(
            _l("The file is larger than %(size)s MB.", size=max_bytes // (1024 * 1024))
        )
    return data


def read_boundary_file(
    source: Path | str | BinaryIO, max_bytes: int | None = None
) -> list[UnitFeature]:
    """Parse and check a GeoJSON FeatureCollection of territorial units, from a path or an
    uploaded stream."""
    return parse_boundaries(read_limited(source, max_bytes))


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number")


def _load_json(raw: bytes):
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportError_(_l("The file is not valid JSON: it is not UTF-8 text.")) from exc
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except RecursionError as exc:
        raise ImportError_(_l("The file is nested too deeply to be a boundary file.")) from exc
    except json.JSONDecodeError as exc:
        raise ImportError_(
            _l(
                "The file is not valid JSON (line %(line)s, column %(column)s).",
                line=exc.lineno,
                column=exc.colno,
            )
        ) from exc
    except ValueError as exc:  # NaN, Infinity, an integer of thousands of digits
        raise ImportError_(
            _l("The file is not valid JSON: it holds a value that is not a number.")
        ) from exc


def parse_boundaries(raw: bytes) -> list[UnitFeature]:
    """Check the whole FeatureCollection; the first problem found is raised."""
    data = _load_json(raw)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ImportError_(_l("The file must be a GeoJSON FeatureCollection."))
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise ImportError_(_l("The FeatureCollection has no features."))
    units, seen = [], set()
    for number, feature in enumerate(features, start=1):
        units.append(_read_feature(number, feature, seen))
    return units


def _text_property(props: dict, key: str) -> str:
    value = props.get(key)
    return value.strip() if isinstance(value, str) else "" if value is None else str(value)


def _read_feature(number: int, feature: object, seen: set[str]) -> UnitFeature:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise ImportError_(_l("Feature %(number)s is not a GeoJSON Feature.", number=number))
    props = feature.get("properties") or {}
    if not isinstance(props, dict):
        raise ImportError_(_l("Feature %(number)s has no 'name' property.", number=number))
    geometry = feature.get("geometry")
    name = _text_property(props, "name")
    name_en = _text_property(props, "name_en") or None
    if not name:
        raise ImportError_(_l("Feature %(number)s has no 'name' property.", number=number))
    if len(name) > NAME_LENGTH or len(name_en or "") > NAME_LENGTH:
        raise ImportError_(
            _l(
                "Feature %(number)s: a name may be at most %(limit)s characters long.",
                number=number,
                limit=NAME_LENGTH,
            )
        )
    if any(unicodedata.category(c) == "Cc" for c in name + (name_en or "")):
        raise ImportError_(
            _l("Feature %(number)s: a name contains control characters.", number=number)
        )
    if name in seen:
        raise ImportError_(
            _l("Feature %(number)s: the name %(name)s appears twice.", number=number, name=name)
        )
    seen.add(name)
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise ImportError_(
            _l(
                "Feature %(number)s (%(name)s) must have a Polygon or MultiPolygon geometry.",
                number=number,
                name=name,
            )
        )
    _check_coordinates(number, name, geometry)
    try:
        kind = TerritoryKind(str(props.get("kind") or "parish"))
    except ValueError as exc:
        raise ImportError_(
            _l(
                "Feature %(number)s (%(name)s): kind must be 'town' or 'parish'.",
                number=number,
                name=name,
            )
        ) from exc
    centre = props.get("centre")
    if centre is not None:
        if not (isinstance(centre, list) and len(centre) == 2 and _is_lon_lat(centre)):
            raise ImportError_(
                _l(
                    "Feature %(number)s (%(name)s): centre must be [lon, lat].",
                    number=number,
                    name=name,
                )
            )
        centre = (float(centre[0]), float(centre[1]))
    atvk = _text_property(props, "atvk") or None
    if atvk and len(atvk) > ATVK_LENGTH:
        raise ImportError_(
            _l(
                "Feature %(number)s (%(name)s): the ATVK code may be at most 7 characters long.",
                number=number,
                name=name,
            )
        )
    return UnitFeature(
        name=name,
        name_en=name_en,
        kind=kind,
        atvk=atvk,
        approximate=bool(props.get("approximate", False)),
        geometry={"type": geometry["type"], "coordinates": geometry.get("coordinates")},
        centre=centre,
    )


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _is_lon_lat(position: list) -> bool:
    return (
        all(_is_number(c) for c in position)
        and -180 <= position[0] <= 180
        and -90 <= position[1] <= 90
    )


def _check_coordinates(number: int, name: str, geometry: dict) -> None:
    """Rings of at least four [lon, lat] positions in degrees, closed; checked without
    recursion, so odd nesting cannot run deep."""
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if geometry["type"] == "Polygon" else coordinates
    malformed = ImportError_(
        _l(
            "Feature %(number)s (%(name)s): the coordinates are not a polygon: every ring needs "
            "at least four [longitude, latitude] positions and must end where it starts.",
            number=number,
            name=name,
        )
    )
    if not isinstance(polygons, list) or not polygons:
        raise malformed
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise malformed
        for ring in polygon:
            if not isinstance(ring, list) or len(ring) < 4:
                raise malformed
            for position in ring:
                if not (
                    isinstance(position, list)
                    and len(position) in (2, 3)
                    and all(_is_number(c) for c in position)
                ):
                    raise malformed
                if not _is_lon_lat(position):
                    raise ImportError_(
                        _l(
                            "Feature %(number)s (%(name)s): the position %(position)s is not a "
                            "longitude and latitude in degrees. Boundary files must use WGS 84 "
                            "(EPSG:4326), not LKS-92 metres.",
                            number=number,
                            name=name,
                            position=json.dumps(position),
                        )
                    )
            if ring[0][:2] != ring[-1][:2]:
                raise malformed


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
            raise ImportError_(_l("%(name)s: the geometry is empty after repair.", name=unit.name))
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
