"""Reads of the participation dashboard: who is and is not being reached, per unit.

PostgreSQL does every count; Python only receives one row per territorial unit, per
category or per month. Ideas count when published (not hidden, withdrawn or waiting for
approval); supports and comments count on such ideas, comments only when published and not
the municipality's own. Survey responses have no category: the category filter leaves them
alone and then counts people through ideas only.
"""

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from flask import current_app
from sqlalchemy import text

from app.core.cache import cached_text
from app.extensions import db

TIMEZONE = "Europe/Riga"
# Period keys of the filter -> how far back they reach (None: all time).
PERIODS: dict[str, timedelta | None] = {
    "30d": timedelta(days=30),
    "90d": timedelta(days=90),
    "12m": timedelta(days=365),
    "all": None,
}
DEFAULT_PERIOD = "90d"
MONTHS = 12

_PUBLISHED = "i.hidden_at IS NULL AND i.withdrawn_at IS NULL AND NOT i.awaiting_approval"


@dataclass
class ParticipationFilters:
    period: str = DEFAULT_PERIOD
    category_id: int | None = None
    now: datetime | None = None  # fixed by tests; the database's clock otherwise

    @property
    def since(self) -> datetime | None:
        reach = PERIODS.get(self.period, PERIODS[DEFAULT_PERIOD])
        if reach is None:
            return None
        return (self.now or datetime.now(UTC)) - reach


def _clauses(filters: ParticipationFilters, column: str, by_category: bool = True) -> str:
    """Period (a range on `column`, so its index is used) and category, as fixed SQL."""
    clauses = []
    if filters.since is not None:
        clauses.append(f"{column} >= :since")
    if by_category and filters.category_id:
        clauses.append("i.category_id = :category_id")
    return "".join(f" AND {clause}" for clause in clauses)


def _params(filters: ParticipationFilters) -> dict:
    return {"since": filters.since, "category_id": filters.category_id, "tz": TIMEZONE}


def _reactions_sql(filters: ParticipationFilters) -> str:
    """Supports and published residents' comments in the period, joined once to their
    published idea: (territory_id, category_id, kind 's'/'c', user_id, created_at)."""
    category = " AND i.category_id = :category_id" if filters.category_id else ""
    return f"""
        reactions AS MATERIALIZED (
            SELECT i.territory_id, i.category_id, r.kind, r.user_id, r.created_at
            FROM (
                SELECT 's' AS kind, s.idea_id, s.user_id, s.created_at FROM supports s
                WHERE true{_clauses(filters, "s.created_at", by_category=False)}
                UNION ALL
                SELECT 'c', c.idea_id, c.author_id, c.created_at FROM comments c
                WHERE c.hidden_at IS NULL AND NOT c.awaiting_approval
                  AND NOT c.is_official{_clauses(filters, "c.created_at", by_category=False)}
            ) r
            JOIN ideas i ON i.id = r.idea_id
            WHERE {_PUBLISHED}{category}
        )"""  # noqa: S608 - fixed strings, bound values


def _unit_sql(filters: ParticipationFilters) -> str:
    idea_period = _clauses(filters, "i.created_at")
    response_period = _clauses(filters, "r.submitted_at", by_category=False)
    respondents = (
        ""
        if filters.category_id
        else f"""
            UNION
            SELECT r.territory_id, r.respondent_id FROM survey_responses r
            WHERE r.respondent_id IS NOT NULL AND r.channel = 'online'{response_period}"""  # noqa: S608
    )
    return f"""
        WITH {_reactions_sql(filters)}, idea_counts AS (
            SELECT i.territory_id,
                   count(*) AS ideas,
                   count(*) FILTER (WHERE i.channel = 'online') AS ideas_online,
                   count(*) FILTER (WHERE i.channel IN ('workshop', 'paper')) AS ideas_recorded,
                   count(*) FILTER (WHERE i.channel = 'open311') AS ideas_open311,
                   max(i.created_at) AS last_at
            FROM ideas i WHERE {_PUBLISHED}{idea_period}
            GROUP BY i.territory_id
        ), reaction_counts AS (
            SELECT territory_id,
                   count(*) FILTER (WHERE kind = 's') AS supports,
                   count(*) FILTER (WHERE kind = 'c') AS comments,
                   max(created_at) AS last_at
            FROM reactions GROUP BY territory_id
        ), response_counts AS (
            SELECT r.territory_id,
                   count(*) AS responses,
                   count(*) FILTER (WHERE r.channel = 'online') AS responses_online,
                   count(*) FILTER (WHERE r.channel = 'paper') AS responses_paper,
                   count(*) FILTER (WHERE r.channel = 'workshop') AS responses_workshop,
                   max(r.submitted_at) AS last_at
            FROM survey_responses r WHERE true{response_period}
            GROUP BY r.territory_id
        ), people AS (
            -- UNION (not UNION ALL): someone who wrote, supported and commented is one person.
            SELECT territory_id, count(*) AS people FROM (
                SELECT i.territory_id, i.author_id AS user_id FROM ideas i
                WHERE {_PUBLISHED} AND i.channel = 'online' AND i.author_id IS NOT NULL
                  {idea_period}
                UNION
                SELECT territory_id, user_id FROM reactions WHERE user_id IS NOT NULL
                {respondents}
            ) taking_part
            GROUP BY territory_id
        )
        SELECT t.id, t.name, t.name_en,
               coalesce(ic.ideas, 0) AS ideas,
               coalesce(ic.ideas_online, 0) AS ideas_online,
               coalesce(ic.ideas_recorded, 0) AS ideas_recorded,
               coalesce(ic.ideas_open311, 0) AS ideas_open311,
               coalesce(rx.supports, 0) AS supports,
               coalesce(rx.comments, 0) AS comments,
               coalesce(rc.responses, 0) AS responses,
               coalesce(rc.responses_online, 0) AS responses_online,
               coalesce(rc.responses_paper, 0) AS responses_paper,
               coalesce(rc.responses_workshop, 0) AS responses_workshop,
               coalesce(p.people, 0) AS people,
               greatest(ic.last_at, rx.last_at, rc.last_at) AS last_activity_at
        FROM territories t
        LEFT JOIN idea_counts ic ON ic.territory_id = t.id
        LEFT JOIN reaction_counts rx ON rx.territory_id = t.id
        LEFT JOIN response_counts rc ON rc.territory_id = t.id
        LEFT JOIN people p ON p.territory_id = t.id
        """  # noqa: S608 - built from fixed strings; values are bound


def participation_by_unit(filters: ParticipationFilters) -> list[dict]:
    """Every territorial unit, with its counts in the period; units not heard from first,
    then the fewest contributions first."""
    rows = db.session.execute(text(_unit_sql(filters)), _params(filters)).mappings()
    units = []
    for row in rows:
        unit = dict(row)
        unit["contributions"] = (
            unit["ideas"] + unit["supports"] + unit["comments"] + unit["responses"]
        )
        unit["heard_from"] = unit["contributions"] > 0
        units.append(unit)
    units.sort(key=lambda unit: (unit["contributions"], unit["people"], unit["name"]))
    return units


def last_heard_from(filters: ParticipationFilters) -> dict[int, datetime]:
    """The latest published idea of each unit, ever (index probes, one per unit)."""
    category = " AND i.category_id = :category_id" if filters.category_id else ""
    rows = db.session.execute(
        text(
            f"""
            SELECT t.id, last.created_at
            FROM territories t
            CROSS JOIN LATERAL (
                SELECT i.created_at FROM ideas i
                WHERE i.territory_id = t.id AND {_PUBLISHED}{category}
                ORDER BY i.created_at DESC LIMIT 1
            ) last
            """  # noqa: S608 - fixed strings, bound values
        ),
        _params(filters),
    )
    return {row.id: row.created_at for row in rows}


def participation_by_category(filters: ParticipationFilters) -> list[dict]:
    """Every category with its ideas, supports and comments in the period."""
    only = " AND c.id = :category_id" if filters.category_id else ""
    sql = f"""
        WITH {_reactions_sql(filters)}, idea_counts AS (
            SELECT i.category_id, count(*) AS ideas FROM ideas i
            WHERE {_PUBLISHED}{_clauses(filters, "i.created_at")} GROUP BY i.category_id
        ), reaction_counts AS (
            SELECT category_id,
                   count(*) FILTER (WHERE kind = 's') AS supports,
                   count(*) FILTER (WHERE kind = 'c') AS comments
            FROM reactions GROUP BY category_id
        )
        SELECT c.id, c.name, c.name_en,
               coalesce(ic.ideas, 0) AS ideas,
               coalesce(rx.supports, 0) AS supports,
               coalesce(rx.comments, 0) AS comments
        FROM categories c
        LEFT JOIN idea_counts ic ON ic.category_id = c.id
        LEFT JOIN reaction_counts rx ON rx.category_id = c.id
        WHERE (c.active OR ic.ideas IS NOT NULL){only}
        ORDER BY c.position, c.name
        """  # noqa: S608 - fixed strings, bound values
    return [dict(row) for row in db.session.execute(text(sql), _params(filters)).mappings()]


def participation_by_month(filters: ParticipationFilters) -> list[dict]:
    """Ideas and survey responses in each of the last 12 calendar months (Riga time),
    oldest first, months without any included."""
    category = " AND i.category_id = :category_id" if filters.category_id else ""
    now = "CAST(:now AS timestamptz)" if filters.now else "now()"
    sql = f"""
        WITH bounds AS (
            SELECT date_trunc('month', {now} AT TIME ZONE :tz)
                   - interval '{MONTHS - 1} months' AS first_month
        ), months AS (
            SELECT generate_series(first_month, first_month + interval '{MONTHS - 1} months',
                                   interval '1 month') AS month
            FROM bounds
        ), idea_counts AS (
            SELECT date_trunc('month', i.created_at AT TIME ZONE :tz) AS month, count(*) AS ideas
            FROM ideas i, bounds b
            WHERE {_PUBLISHED} AND i.created_at >= (b.first_month AT TIME ZONE :tz){category}
            GROUP BY 1
        ), response_counts AS (
            SELECT date_trunc('month', r.submitted_at AT TIME ZONE :tz) AS month,
                   count(*) AS responses
            FROM survey_responses r, bounds b
            WHERE r.submitted_at >= (b.first_month AT TIME ZONE :tz)
            GROUP BY 1
        )
        SELECT m.month::date AS month, coalesce(ic.ideas, 0) AS ideas,
               coalesce(rc.responses, 0) AS responses
        FROM months m
        LEFT JOIN idea_counts ic ON ic.month = m.month
        LEFT JOIN response_counts rc ON rc.month = m.month
        ORDER BY m.month
        """  # noqa: S608 - fixed strings, bound values
    params = {**_params(filters), "now": filters.now}
    return [dict(row) for row in db.session.execute(text(sql), params).mappings()]


def territory_shapes_geojson(tolerance: float = 0.0005) -> str:
    """The units' simplified borders with id and both names, as GeoJSON built by PostGIS."""
    return db.session.scalar(
        text(
            """
            SELECT json_build_object(
                'type', 'FeatureCollection',
                'features', coalesce(json_agg(json_build_object(
                    'type', 'Feature',
                    'id', t.id,
                    'geometry',
                        ST_AsGeoJSON(ST_SimplifyPreserveTopology(t.geom, :tolerance), 6)::json,
                    'properties', json_build_object('id', t.id, 'name', t.name,
                                                    'name_en', t.name_en)
                ) ORDER BY t.name), '[]'::json)
            )::text
            FROM territories t
            """
        ),
        {"tolerance": tolerance},
    )


# --- the page's figures, counted or from a recent snapshot -------------------------------


@dataclass
class ParticipationFigures:
    units: list[dict]
    last_idea_at: dict[int, datetime]
    by_category: list[dict]
    months: list[dict]
    counted_at: datetime


def count_participation(filters: ParticipationFilters) -> ParticipationFigures:
    return ParticipationFigures(
        units=participation_by_unit(filters),
        last_idea_at=last_heard_from(filters),
        by_category=participation_by_category(filters),
        months=participation_by_month(filters),
        counted_at=datetime.now(UTC),
    )


def participation_figures(filters: ParticipationFilters) -> ParticipationFigures:
    """The figures counted now, or the snapshot counted for the same filters in the last
    PARTICIPATION_CACHE_SECONDS (a million ideas take seconds to count; the page says when
    its figures were counted)."""
    seconds = current_app.config["PARTICIPATION_CACHE_SECONDS"]
    if seconds <= 0 or filters.now is not None:
        return count_participation(filters)
    parts = (
        db.engine.url.render_as_string(hide_password=True),
        filters.period,
        filters.category_id,
    )
    payload = cached_text(
        "participation", parts, seconds, lambda: _encode(count_participation(filters))
    )
    return _decode(payload)


def _tagged(value):
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    raise TypeError(f"not in a participation snapshot: {type(value).__name__}")


def _untagged(obj: dict):
    if len(obj) == 1:
        if "$datetime" in obj:
            return datetime.fromisoformat(obj["$datetime"])
        if "$date" in obj:
            return date.fromisoformat(obj["$date"])
        if "$decimal" in obj:
            return Decimal(obj["$decimal"])
    return obj


def _encode(figures: ParticipationFigures) -> str:
    return json.dumps(
        {
            "units": figures.units,
            "last_idea_at": list(figures.last_idea_at.items()),
            "by_category": figures.by_category,
            "months": figures.months,
            "counted_at": figures.counted_at,
        },
        default=_tagged,
    )


def _decode(payload: str) -> ParticipationFigures:
    data = json.loads(payload, object_hook=_untagged)
    return ParticipationFigures(
        units=data["units"],
        last_idea_at=dict(data["last_idea_at"]),
        by_category=data["by_category"],
        months=data["months"],
        counted_at=data["counted_at"],
    )
