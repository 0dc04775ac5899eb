"""Reads for ideas: the map's GeoJSON (clustered in PostGIS) and the paginated list.

Everything is filtered, clustered, sorted and serialized by PostgreSQL; Python never
holds more than one page of ideas.
"""

import json
import math
import re
from dataclasses import dataclass

from sqlalchemy import text

from app.extensions import db
from app.ideas.models import IdeaStatus

# One response never carries more than this many features.
MAX_FEATURES = 1000
# Below this zoom level the map shows clusters computed by the server.
CLUSTER_BELOW_ZOOM = 14
# Clusters come from a grid of at most GRID_CELLS x GRID_CELLS cells over the bbox
# (cells cut by the edges add up to two rows and columns: 30 x 30 = 900 features at most).
GRID_CELLS = 28

LIST_PAGE_SIZE = 20
LIST_COUNT_CAP = 10_000

# Visible rows only: the same rule as app.ideas.models.public_ideas_clause(), in SQL.
PUBLIC_SQL = "i.hidden_at IS NULL AND i.withdrawn_at IS NULL AND NOT i.awaiting_approval"

SORTS = {
    "newest": "i.created_at DESC, i.id DESC",
    "supported": "i.support_count DESC, i.id DESC",
    "discussed": "i.comment_count DESC, i.id DESC",
    "answered": "i.status_changed_at DESC NULLS LAST, i.id DESC",
}

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class IdeaFilters:
    status: IdeaStatus | None = None
    category: str | None = None  # slug
    territory: int | None = None
    q: str | None = None


def prefix_tsquery(q: str | None) -> str | None:
    """User words as a safe prefix tsquery ("lidz cel" -> "lidz:* & cel:*"), or None.

    Only word characters survive, so nothing the user types can reach tsquery syntax.
    """
    words = _WORD.findall(q or "")[:8]
    words = [w.replace("_", "") for w in words]
    words = [w for w in words if w]
    if not words:
        return None
    return " & ".join(f"{w}:*" for w in words)


def _where(filters: IdeaFilters) -> tuple[str, dict]:
    """SQL conditions (constant text, safe to put in a query) and their bound values."""
    clauses = [PUBLIC_SQL]
    params: dict = {}
    if filters.status is not None:
        clauses.append("i.status = CAST(:status AS idea_status)")
        params["status"] = filters.status.value
    if filters.category:
        clauses.append("i.category_id = (SELECT id FROM categories WHERE slug = :category)")
        params["category"] = filters.category
    if filters.territory is not None:
        clauses.append("i.territory_id = :territory")
        params["territory"] = filters.territory
    tsquery = prefix_tsquery(filters.q)
    if tsquery:
        clauses.append("i.search_vector @@ to_tsquery('simple', kopa_unaccent(:tsquery))")
        params["tsquery"] = tsquery
    return " AND ".join(clauses), params


# --- map ----------------------------------------------------------------------------------

_BBOX_SQL = "i.geom && ST_MakeEnvelope(:west, :south, :east, :north, 4326)"

_IDEA_FEATURE = """json_build_object(
    'type', 'Feature',
    'id', i.id,
    'geometry', ST_AsGeoJSON(i.geom, 6)::json,
    'properties', json_build_object(
        'id', i.id,
        'title', i.title,
        'status', i.status,
        'status_label', CAST(:labels AS jsonb) ->> CAST(i.status AS text),
        'category', c.slug,
        'category_name', CASE WHEN :lang = 'en' THEN c.name_en ELSE c.name END,
        'support_count', i.support_count,
        'comment_count', i.comment_count,
        'url', :url_prefix || i.id
    )
)"""


def cell_size(
    west: float, south: float, east: float, north: float, zoom: int | None = None
) -> float:
    """A grid step (degrees): at most GRID_CELLS cells along the longer side of the bbox,
    and at least about 128 screen pixels at `zoom` so cluster icons rarely overlap.

    Always 360 / 2^k, so the grid stays put while the map is panned.
    """
    raw = max(east - west, north - south, 1e-9) / GRID_CELLS
    size = 360 / 2 ** math.floor(math.log2(360 / raw))
    if zoom is not None:
        size = max(size, 360 / 2 ** (zoom + 1))
    return size


# Web Mercator tiles reach this far north and south; a box beyond it snaps to the pole.
MERCATOR_MAX_LAT = 85.0511287798
# Slack (in tiles) so that a box already on the grid, sent with 7 decimals, stays the same box.
SNAP_SLACK = 1e-3


@dataclass(frozen=True)
class SnappedBox:
    """A bbox grown to whole map tiles of one zoom: neighbouring views ask for the same box."""

    zoom: int
    tiles: tuple[int, int, int, int]  # x0, y0 (north), x1, y1 (south); x1, y1 exclusive
    bbox: tuple[float, float, float, float]


def _tile_x(lon: float, n: int) -> float:
    return (lon + 180) / 360 * n


def _tile_y(lat: float, n: int) -> float:
    lat = max(-MERCATOR_MAX_LAT, min(MERCATOR_MAX_LAT, lat))
    return (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n


def _tile_lat(y: int, n: int) -> float:
    if y <= 0:
        return 90.0
    if y >= n:
        return -90.0
    return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / n))))


def snap_bbox(bbox: tuple[float, float, float, float], zoom: int) -> SnappedBox:
    """The smallest box of whole tiles of `zoom` (the slippy-map grid) around `bbox`."""
    west, south, east, north = bbox
    n = 2**zoom
    x0 = max(0, math.floor(_tile_x(west, n) + SNAP_SLACK))
    x1 = min(n, max(x0 + 1, math.ceil(_tile_x(east, n) - SNAP_SLACK)))
    y0 = max(0, math.floor(_tile_y(north, n) + SNAP_SLACK))
    y1 = min(n, max(y0 + 1, math.ceil(_tile_y(south, n) - SNAP_SLACK)))
    snapped = (
        round(x0 / n * 360 - 180, 9),
        round(_tile_lat(y1, n), 9),
        round(x1 / n * 360 - 180, 9),
        round(_tile_lat(y0, n), 9),
    )
    return SnappedBox(zoom=zoom, tiles=(x0, y0, x1, y1), bbox=snapped)


def ideas_geojson(
    bbox: tuple[float, float, float, float],
    filters: IdeaFilters,
    zoom: int | None,
    lang: str,
    labels: dict[str, str],
    url_prefix: str,
) -> str:
    """Public ideas in a bbox as a GeoJSON FeatureCollection built by PostGIS, in one statement.

    At low zoom, or when the bbox holds more than MAX_FEATURES ideas, ideas are grouped
    on a grid: a cell with several ideas becomes one cluster feature (count, centroid,
    extent, ideas per status); a cell with one idea stays that idea.
    """
    where, params = _where(filters)
    west, south, east, north = bbox
    params.update(
        west=west,
        south=south,
        east=east,
        north=north,
        lang=lang,
        labels=json.dumps(labels),
        url_prefix=url_prefix,
        limit=MAX_FEATURES,
        size=cell_size(west, south, east, north, zoom),
    )
    parts = {"where": where, "bbox": _BBOX_SQL, "idea_feature": _IDEA_FEATURE}
    clusters = _CLUSTER_SQL.format(**parts)
    if zoom is not None and zoom < CLUSTER_BELOW_ZOOM:
        sql = clusters
    else:
        # Ideas one by one, unless more than MAX_FEATURES are in view: one round trip either
        # way, and the branch not taken is never executed (an InitPlan runs on first use).
        sql = _IDEAS_OR_CLUSTERS_SQL.format(**parts, clusters=clusters)
    return db.session.scalar(text(sql), params)


_IDEAS_OR_CLUSTERS_SQL = """
WITH picked AS MATERIALIZED (
    SELECT i.id, i.geom, i.title, i.status, i.category_id, i.support_count, i.comment_count
    FROM ideas i
    WHERE {where} AND {bbox}
    LIMIT :limit + 1
)
SELECT CASE WHEN (SELECT count(*) FROM picked) > :limit THEN ({clusters}) ELSE (
    SELECT json_build_object(
        'type', 'FeatureCollection',
        'clustered', false,
        'features', coalesce(json_agg({idea_feature} ORDER BY i.id), '[]'::json)
    )::text
    FROM picked i JOIN categories c ON c.id = i.category_id
) END
"""

_CLUSTER_SQL = """
WITH matching AS (
    SELECT i.id, i.status, ST_X(i.geom) AS x, ST_Y(i.geom) AS y
    FROM ideas i
    WHERE {where} AND {bbox}
),
per_status AS (
    -- Whole-number grid cells hash far faster than snapped geometries.
    SELECT floor(x / :size)::int AS cx, floor(y / :size)::int AS cy, status,
           count(*) AS n, min(id) AS any_id, sum(x) AS sx, sum(y) AS sy,
           min(x) AS x0, min(y) AS y0, max(x) AS x1, max(y) AS y1
    FROM matching GROUP BY 1, 2, 3
),
cells AS (
    SELECT sum(n) AS n, min(any_id) AS any_id,
           sum(sx) / sum(n) AS lon, sum(sy) / sum(n) AS lat,
           min(x0) AS x0, min(y0) AS y0, max(x1) AS x1, max(y1) AS y1,
           json_object_agg(status, n) AS statuses
    FROM per_status GROUP BY cx, cy
    ORDER BY sum(n) DESC
    LIMIT :limit
),
features AS (
    SELECT {idea_feature} AS feature, cells.n
    FROM cells
    JOIN ideas i ON i.id = cells.any_id
    JOIN categories c ON c.id = i.category_id
    WHERE cells.n = 1
    UNION ALL
    SELECT json_build_object(
        'type', 'Feature',
        'geometry', json_build_object(
            'type', 'Point',
            'coordinates', json_build_array(round(lon::numeric, 6), round(lat::numeric, 6))
        ),
        'properties', json_build_object(
            'cluster', true,
            'count', n,
            'statuses', statuses,
            'bounds', json_build_array(round(x0::numeric, 6), round(y0::numeric, 6),
                                       round(x1::numeric, 6), round(y1::numeric, 6))
        )
    ), n
    FROM cells WHERE n > 1
)
SELECT json_build_object(
    'type', 'FeatureCollection',
    'clustered', true,
    'features', coalesce(json_agg(feature ORDER BY n DESC), '[]'::json)
)::text
FROM features
"""


# --- list ---------------------------------------------------------------------------------


@dataclass
class IdeaPage:
    rows: list[dict]
    total: int  # capped at LIST_COUNT_CAP
    capped: bool
    page: int
    pages: int

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def count_ideas(filters: IdeaFilters, cap: int = LIST_COUNT_CAP) -> int:
    """Public ideas matching the filters, counting no further than `cap`."""
    where, params = _where(filters)
    sql = text(f"SELECT count(*) FROM (SELECT 1 FROM ideas i WHERE {where} LIMIT :cap) AS c")  # noqa: S608
    return db.session.scalar(sql, {**params, "cap": cap})


def list_ideas(
    filters: IdeaFilters, sort: str = "newest", page: int = 1, per_page: int = LIST_PAGE_SIZE
) -> IdeaPage:
    """One page of public ideas with what a list row shows, sorted in SQL."""
    order = SORTS[sort]
    counted = count_ideas(filters, LIST_COUNT_CAP + 1)
    capped = counted > LIST_COUNT_CAP
    total = min(counted, LIST_COUNT_CAP)
    pages = max(1, math.ceil(total / per_page))
    page = min(max(page, 1), pages)
    where, params = _where(filters)
    # Constant clauses; user values are bound parameters.
    sql = text(
        f"""
        SELECT i.id, i.title, i.status, i.support_count, i.comment_count, i.created_at,
               i.status_changed_at,
               c.slug AS category_slug, c.name AS category_lv, c.name_en AS category_en,
               t.name AS territory_lv, t.name_en AS territory_en
        FROM ideas i
        JOIN categories c ON c.id = i.category_id
        LEFT JOIN territories t ON t.id = i.territory_id
        WHERE {where}
        ORDER BY {order}
        LIMIT :limit OFFSET :offset
        """  # noqa: S608
    )
    rows = db.session.execute(
        sql, {**params, "limit": per_page, "offset": (page - 1) * per_page}
    ).mappings()
    return IdeaPage(
        rows=[dict(row) for row in rows], total=total, capped=capped, page=page, pages=pages
    )


def category_exists(slug: str) -> bool:
    return bool(db.session.scalar(text("SELECT 1 FROM categories WHERE slug = :s"), {"s": slug}))


def territory_exists(territory_id: int) -> bool:
    return bool(
        db.session.scalar(text("SELECT 1 FROM territories WHERE id = :id"), {"id": territory_id})
    )


def category_choices(lang: str) -> list[tuple[str, str]]:
    """(slug, name) of the active categories in their display order."""
    rows = db.session.execute(
        text("SELECT slug, name, name_en FROM categories WHERE active ORDER BY position, id")
    )
    return [(r.slug, r.name_en if lang == "en" else r.name) for r in rows]
