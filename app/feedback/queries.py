"""Reads for "You said, we did": figures, breakdowns and the ideas adopted or done.

Every figure is computed by PostgreSQL over published ideas only (never hidden, withdrawn
or waiting for approval). "Adopted" counts every idea the municipality took on: adopted,
in progress and done.
"""

from dataclasses import dataclass

from sqlalchemy import text

from app.core.pagination import Page
from app.extensions import db
from app.i18n import localized

ADOPTED_STATUSES = ("adopted", "in_progress", "done")
TIMEZONE = "Europe/Riga"


@dataclass
class FeedbackFilters:
    territory_id: int | None = None
    category_id: int | None = None
    year: int | None = None


def _where(filters: FeedbackFilters, alias: str = "i") -> tuple[str, dict]:
    """The shared WHERE clause: published ideas, then the visitor's filters."""
    a = alias
    clauses = [
        f"{a}.hidden_at IS NULL",
        f"{a}.withdrawn_at IS NULL",
        f"NOT {a}.awaiting_approval",
    ]
    params: dict = {"tz": TIMEZONE}
    if filters.territory_id:
        clauses.append(f"{a}.territory_id = :territory_id")
        params["territory_id"] = filters.territory_id
    if filters.category_id:
        clauses.append(f"{a}.category_id = :category_id")
        params["category_id"] = filters.category_id
    if filters.year:
        # A range on created_at (not extract()) so the index on created_at is used.
        clauses.append(
            f"{a}.created_at >= make_timestamptz(CAST(:year AS int), 1, 1, 0, 0, 0, :tz) "
            f"AND {a}.created_at < make_timestamptz(CAST(:year AS int) + 1, 1, 1, 0, 0, 0, :tz)"
        )
        params["year"] = filters.year
    return " AND ".join(clauses), params


_COUNTS = """
    count(i.id) AS received,
    count(i.id) FILTER (WHERE i.first_answered_at IS NOT NULL) AS answered,
    count(i.id) FILTER (WHERE i.status IN ('adopted', 'in_progress', 'done')) AS adopted,
    count(i.id) FILTER (WHERE i.status = 'done') AS done
"""


def feedback_figures(filters: FeedbackFilters) -> dict:
    """Totals, the share answered within 30 days and the median days to the first answer.

    The share counts ideas whose 30 days are over, or that were answered within them:
    an idea received last week and not yet answered is not late."""
    where, params = _where(filters)
    row = (
        db.session.execute(
            text(
                f"""
                SELECT {_COUNTS},
                  count(i.id) FILTER (
                    WHERE i.first_answered_at <= i.created_at + interval '30 days'
                  ) AS answered_in_30,
                  count(i.id) FILTER (
                    WHERE i.first_answered_at <= i.created_at + interval '30 days'
                       OR i.created_at <= now() - interval '30 days'
                  ) AS due_in_30,
                  percentile_cont(0.5) WITHIN GROUP (
                    ORDER BY extract(epoch FROM i.first_answered_at - i.created_at) / 86400.0
                  ) AS median_days
                FROM ideas i
                WHERE {where}
                """  # noqa: S608 - the clause is built from fixed strings, values are bound
            ),
            params,
        )
        .mappings()
        .one()
    )
    figures = dict(row)
    due = figures.pop("due_in_30")
    figures["share_answered_in_30"] = figures["answered_in_30"] / due if due else None
    if figures["median_days"] is not None:
        figures["median_days"] = float(figures["median_days"])
    return figures


def figures_by_territory(filters: FeedbackFilters) -> list[dict]:
    """Every territorial unit (also those without ideas) with its four counts."""
    where, params = _where(filters)
    rows = db.session.execute(
        text(
            f"""
            SELECT t.id, t.name, t.name_en, {_COUNTS}
            FROM territories t
            LEFT JOIN ideas i ON i.territory_id = t.id AND {where}
            GROUP BY t.id
            ORDER BY t.name
            """  # noqa: S608 - fixed strings, bound values
        ),
        params,
    )
    return [dict(row) for row in rows.mappings()]


def figures_by_category(filters: FeedbackFilters) -> list[dict]:
    """Every category with its four counts."""
    where, params = _where(filters)
    rows = db.session.execute(
        text(
            f"""
            SELECT c.id, c.name, c.name_en, {_COUNTS}
            FROM categories c
            LEFT JOIN ideas i ON i.category_id = c.id AND {where}
            GROUP BY c.id
            ORDER BY c.position, c.name
            """  # noqa: S608 - fixed strings, bound values
        ),
        params,
    )
    return [dict(row) for row in rows.mappings()]


def choropleth_geojson(filters: FeedbackFilters, lang: str, tolerance: float = 0.0005) -> str:
    """Units with their number of received ideas, as GeoJSON built by PostGIS."""
    where, params = _where(filters)
    sql = text(
        f"""
        WITH counts AS (
            SELECT t.id, count(i.id) AS ideas
            FROM territories t
            LEFT JOIN ideas i ON i.territory_id = t.id AND {where}
            GROUP BY t.id
        )
        SELECT json_build_object(
            'type', 'FeatureCollection',
            'features', coalesce(json_agg(json_build_object(
                'type', 'Feature',
                'id', t.id,
                'geometry', ST_AsGeoJSON(ST_SimplifyPreserveTopology(t.geom, :tolerance), 6)::json,
                'properties', json_build_object(
                    'id', t.id,
                    'ideas', c.ideas,
                    'label', (CASE WHEN :lang = 'en' AND t.name_en IS NOT NULL
                                   THEN t.name_en ELSE t.name END) || ': ' || c.ideas
                )
            ) ORDER BY t.name), '[]'::json)
        )::text
        FROM territories t JOIN counts c ON c.id = t.id
        """  # noqa: S608 - fixed strings, bound values
    )
    return db.session.scalar(sql, {**params, "lang": lang, "tolerance": tolerance})


def feedback_ideas(filters: FeedbackFilters, page: int, per_page: int = 10) -> Page:
    """Adopted, in-progress and done ideas, latest change first, each with its latest
    public answer and its first "before" and "after" photo."""
    where, params = _where(filters)
    params.update(limit=per_page, offset=(max(1, page) - 1) * per_page)
    base = f"FROM ideas i WHERE {where} AND i.status IN ('adopted', 'in_progress', 'done')"
    total = db.session.scalar(text(f"SELECT count(*) {base}"), params)
    rows = db.session.execute(
        text(
            f"""
            SELECT i.id, i.title, i.status, i.created_at, i.status_changed_at,
                   t.name AS territory_lv, t.name_en AS territory_en,
                   c.name AS category_lv, c.name_en AS category_en,
                   answer.answer, answer.answer_en, answer.created_at AS answered_at,
                   before.stem AS before_stem, before.alt_text AS before_alt,
                   after.stem AS after_stem, after.alt_text AS after_alt
            FROM ideas i
            JOIN categories c ON c.id = i.category_id
            LEFT JOIN territories t ON t.id = i.territory_id
            LEFT JOIN LATERAL (
                SELECT s.answer, s.answer_en, s.created_at FROM idea_status_changes s
                WHERE s.idea_id = i.id AND s.answer IS NOT NULL
                ORDER BY s.created_at DESC, s.id DESC LIMIT 1
            ) answer ON true
            LEFT JOIN LATERAL (
                SELECT p.stem, p.alt_text FROM idea_photos p
                WHERE p.idea_id = i.id AND p.kind = 'before' ORDER BY p.position, p.id LIMIT 1
            ) before ON true
            LEFT JOIN LATERAL (
                SELECT p.stem, p.alt_text FROM idea_photos p
                WHERE p.idea_id = i.id AND p.kind = 'after' ORDER BY p.position, p.id LIMIT 1
            ) after ON true
            WHERE {where} AND i.status IN ('adopted', 'in_progress', 'done')
            ORDER BY i.status_changed_at DESC NULLS LAST, i.id DESC
            LIMIT :limit OFFSET :offset
            """  # noqa: S608 - fixed strings, bound values
        ),
        params,
    )
    return Page(items=list(rows.mappings()), page=max(1, page), per_page=per_page, total=total)


def category_choices() -> list[tuple[int, str]]:
    rows = db.session.execute(text("SELECT id, name, name_en FROM categories ORDER BY position"))
    return [(row.id, localized(row.name, row.name_en)) for row in rows]


def year_range() -> list[int]:
    """Years from the first to the last published idea, newest first (index min/max)."""
    row = db.session.execute(
        text(
            "SELECT extract(year FROM min(created_at) AT TIME ZONE :tz)::int AS first, "
            "extract(year FROM max(created_at) AT TIME ZONE :tz)::int AS last FROM ideas"
        ),
        {"tz": TIMEZONE},
    ).one()
    if row.first is None:
        return []
    return list(range(row.last, row.first - 1, -1))
