"""Reads for territories: choices for forms and GeoJSON built in PostGIS."""

import json
from dataclasses import dataclass, field

from sqlalchemy import func, select, text

from app.extensions import db
from app.i18n import localized
from app.territories.models import Territory


def territory_choices() -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(Territory.id, Territory.name, Territory.name_en).order_by(Territory.name)
    )
    return [(row.id, localized(row.name, row.name_en)) for row in rows]


def territories_summary() -> list[dict]:
    """Units with their kind and centre for the accessible list beside the map."""
    rows = db.session.execute(
        select(
            Territory.id,
            Territory.name,
            Territory.name_en,
            Territory.kind,
            Territory.approximate,
            func.ST_Y(Territory.centre).label("lat"),
            func.ST_X(Territory.centre).label("lon"),
            (func.ST_Area(func.Geography(Territory.geom)) / 1e6).label("area_km2"),
        ).order_by(Territory.kind.desc(), Territory.name)
    )
    return [
        {
            "id": r.id,
            "name": localized(r.name, r.name_en),
            "name_lv": r.name,
            "kind": r.kind.value,
            "approximate": r.approximate,
            "lat": r.lat,
            "lon": r.lon,
            "area_km2": r.area_km2,
        }
        for r in rows
    ]


def any_approximate() -> bool:
    return bool(db.session.scalar(select(func.bool_or(Territory.approximate))))


def territories_geojson(lang: str = "lv", simplify: float = 0.0) -> str:
    """All units as a GeoJSON FeatureCollection string, built by PostGIS."""
    sql = text(
        """
        SELECT json_build_object(
            'type', 'FeatureCollection',
            'features', coalesce(json_agg(json_build_object(
                'type', 'Feature',
                'id', t.id,
                'geometry', ST_AsGeoJSON(
                    CASE WHEN :tolerance > 0
                         THEN ST_SimplifyPreserveTopology(t.geom, :tolerance)
                         ELSE t.geom END, 6)::json,
                'properties', json_build_object(
                    'id', t.id,
                    'name', t.name,
                    'name_en', t.name_en,
                    'label', CASE WHEN :lang = 'en' AND t.name_en IS NOT NULL
                                  THEN t.name_en ELSE t.name END,
                    'kind', t.kind,
                    'atvk', t.atvk,
                    'approximate', t.approximate,
                    'municipality', m.name,
                    'centre', json_build_array(round(ST_X(t.centre)::numeric, 6),
                                               round(ST_Y(t.centre)::numeric, 6))
                )
            ) ORDER BY t.name), '[]'::json)
        )::text
        FROM territories t JOIN municipalities m ON m.id = t.municipality_id
        """
    )
    return db.session.scalar(sql, {"tolerance": simplify, "lang": lang})


def territory_at(lon: float, lat: float) -> Territory | None:
    """The unit that covers a point (ties on a shared border go to the lowest id)."""
    point = func.ST_SetSRID(func.ST_MakePoint(lon, lat), 4326)
    return db.session.scalar(
        select(Territory).where(func.ST_Covers(Territory.geom, point)).order_by(Territory.id)
    )


def territories_bounds() -> list[list[float]]:
    """[[south, west], [north, east]] of all units, for fitting a map."""
    box = db.session.execute(
        select(
            func.ST_YMin(func.ST_Extent(Territory.geom)),
            func.ST_XMin(func.ST_Extent(Territory.geom)),
            func.ST_YMax(func.ST_Extent(Territory.geom)),
            func.ST_XMax(func.ST_Extent(Territory.geom)),
        )
    ).one()
    if box[0] is None:
        return [[56.8, 27.0], [57.3, 27.8]]
    return [[box[0], box[1]], [box[2], box[3]]]


def territories_overview() -> list[dict]:
    """Every unit for the admin page: names, kind, area (PostGIS, km²), ideas, approximate."""
    from app.ideas.models import Idea
    from app.territories.models import Municipality

    ideas = (
        select(func.count(Idea.id))
        .where(Idea.territory_id == Territory.id)
        .correlate(Territory)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(
            Territory.id,
            Territory.name,
            Territory.name_en,
            Territory.kind,
            Territory.approximate,
            Municipality.name.label("municipality"),
            (func.ST_Area(func.Geography(Territory.geom)) / 1e6).label("area_km2"),
            ideas.label("ideas"),
        )
        .join(Municipality, Municipality.id == Territory.municipality_id)
        .order_by(Municipality.name, Territory.kind.desc(), Territory.name)
    )
    return [row._asdict() for row in rows]


def municipality_names() -> list[str]:
    from app.territories.models import Municipality

    return list(db.session.scalars(select(Municipality.name).order_by(Municipality.name)))


@dataclass
class ImportPlan:
    """What importing a file would do in one municipality, by unit name."""

    municipality: str
    municipality_exists: bool
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    untouched: list[str] = field(default_factory=list)


def import_plan(names: list[str], municipality: str) -> ImportPlan:
    """Which names would be created, which updated, and which existing units are left alone."""
    from app.territories.models import Municipality

    existing_municipality = db.session.scalar(
        select(Municipality.id).where(Municipality.name == municipality)
    )
    existing = set()
    if existing_municipality is not None:
        existing = set(
            db.session.scalars(
                select(Territory.name).where(Territory.municipality_id == existing_municipality)
            )
        )
    in_file = set(names)
    return ImportPlan(
        municipality=municipality,
        municipality_exists=existing_municipality is not None,
        created=[name for name in names if name not in existing],
        updated=[name for name in names if name in existing],
        untouched=sorted(existing - in_file),
    )


def outline_figures(geometries: list[dict]) -> tuple[list[float], list[list[float]]]:
    """Area in km² of each uploaded outline (repaired as the import will) and the
    [[south, west], [north, east]] box of them all, computed by PostGIS."""
    sql = text(
        """
        WITH shapes AS (
            SELECT n, ST_SetSRID(ST_GeomFromGeoJSON(g), 4326) AS geom
            FROM unnest(CAST(:geometries AS text[])) WITH ORDINALITY AS u(g, n)
        )
        SELECT n, ST_Area(Geography(ST_MakeValid(geom))) / 1e6 AS area_km2,
               ST_YMin(ST_Extent(geom) OVER ()) AS south, ST_XMin(ST_Extent(geom) OVER ()) AS west,
               ST_YMax(ST_Extent(geom) OVER ()) AS north, ST_XMax(ST_Extent(geom) OVER ()) AS east
        FROM shapes ORDER BY n
        """
    )
    rows = db.session.execute(sql, {"geometries": [json.dumps(g) for g in geometries]}).all()
    if not rows:
        return [], [[56.8, 27.0], [57.3, 27.8]]
    first = rows[0]
    return [row.area_km2 for row in rows], [[first.south, first.west], [first.north, first.east]]
