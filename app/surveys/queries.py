"""Reads for surveys: listings and results, aggregated in PostgreSQL (GROUP BY, jsonb)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, or_, select, text

from app.extensions import db
from app.surveys.models import (
    Question,
    QuestionKind,
    ResponseChannel,
    Survey,
    SurveyResponse,
    SurveyState,
    survey_territories,
)

# Breakdown cells of public results with fewer responses than this are hidden.
PUBLIC_MIN_CELL = 5
TEXT_PAGE_SIZE = 20
MAP_GRID_DEGREES = 0.005  # about 300 m × 550 m around Balvi


def open_surveys(moment: datetime, territory_id: int | None = None) -> list[Survey]:
    """Published surveys accepting answers now; a territory filter keeps municipality-wide ones."""
    query = select(Survey).where(
        Survey.state == SurveyState.OPEN,
        or_(Survey.opens_at.is_(None), Survey.opens_at <= moment),
        or_(Survey.closes_at.is_(None), Survey.closes_at > moment),
    )
    if territory_id:
        targeted = select(survey_territories.c.survey_id).where(
            survey_territories.c.territory_id == territory_id
        )
        anywhere = (
            ~select(survey_territories.c.survey_id)
            .where(survey_territories.c.survey_id == Survey.id)
            .exists()
        )
        query = query.where(or_(Survey.id.in_(targeted), anywhere))
    return list(db.session.scalars(query.order_by(Survey.closes_at.asc().nulls_last(), Survey.id)))


def managed_surveys(user) -> list[tuple[Survey, int]]:
    """The surveys a user manages with their response counts: staff see all, leaders theirs."""
    counts = (
        select(SurveyResponse.survey_id, func.count().label("n"))
        .group_by(SurveyResponse.survey_id)
        .subquery()
    )
    query = select(Survey, func.coalesce(counts.c.n, 0)).outerjoin(
        counts, counts.c.survey_id == Survey.id
    )
    if not user.is_staff:
        query = query.where(Survey.owner_id == user.id)
    return list(db.session.execute(query.order_by(Survey.created_at.desc(), Survey.id.desc())))


def response_total(survey_id: int) -> int:
    return db.session.scalar(select(func.count()).where(SurveyResponse.survey_id == survey_id))


# --- results of a whole survey -------------------------------------------------------------
# The results page reads every figure in a handful of statements, each one pass over the
# survey's rows grouped with GROUPING SETS, whatever the number of questions. The functions
# about one question further down are the same statements restricted to that question.


@dataclass
class ResponseOverview:
    total: int
    days: list[dict]  # {"day", "total", <channel>: count} per Riga date, in date order
    channel_totals: dict[str, int]
    territories: list[dict]  # id, name, name_en, n, targeted; "not given" (id None) last


def response_overview(survey_id: int, targeted: Iterable[int] = ()) -> ResponseOverview:
    """Responses by day (Riga date) and channel, and by territorial unit (the survey's target
    units listed even with none): one index-only scan of the survey's responses."""
    rows = db.session.execute(
        text(
            """
            SELECT date(timezone('Europe/Riga', submitted_at)) AS day, channel, territory_id,
                   GROUPING(territory_id) = 1 AS by_day, count(*) AS n
            FROM survey_responses
            WHERE survey_id = :s
            GROUP BY GROUPING SETS ((1, 2), (3))
            ORDER BY 1
            """
        ),
        {"s": survey_id},
    )
    days: dict = {}
    totals = {c.value: 0 for c in ResponseChannel}
    by_unit: dict[int | None, int] = {}
    for row in rows:
        if row.by_day:
            entry = days.setdefault(row.day, {"day": row.day, "total": 0})
            entry[row.channel] = row.n
            entry["total"] += row.n
            totals[row.channel] += row.n
        else:
            by_unit[row.territory_id] = row.n
    targeted = set(targeted)
    units = sorted((set(by_unit) | targeted) - {None})
    territories = [
        dict(r._mapping)
        for r in db.session.execute(
            text(
                """
                SELECT t.id, t.name, t.name_en, u.n, u.targeted
                FROM unnest(CAST(:ids AS int[]), CAST(:ns AS bigint[]),
                            CAST(:targeted AS boolean[])) AS u(id, n, targeted)
                JOIN territories t ON t.id = u.id
                ORDER BY u.n DESC, t.name
                """
            ),
            {
                "ids": units,
                "ns": [by_unit.get(unit, 0) for unit in units],
                "targeted": [unit in targeted for unit in units],
            },
        )
    ]
    if by_unit.get(None):
        territories.append(
            {"id": None, "name": None, "name_en": None, "n": by_unit[None], "targeted": False}
        )
    return ResponseOverview(sum(totals.values()), list(days.values()), totals, territories)


def responses_by_day_and_channel(survey_id: int) -> tuple[list[dict], dict[str, int]]:
    """Rows per day (Riga date) with a count per channel, and the totals per channel."""
    overview = response_overview(survey_id)
    return overview.days, overview.channel_totals


def responses_by_territory(survey: Survey) -> list[dict]:
    """Responses per territorial unit, the survey's target units listed even with none."""
    return response_overview(survey.id, [t.id for t in survey.territories]).territories


@dataclass
class Breakdown:
    groups: list[dict]  # key, label, total (respondents in the group who answered)
    cells: dict = field(default_factory=dict)  # (group key, option key) -> count
    means: dict = field(default_factory=dict)  # group key -> mean (numbers, scales)


@dataclass
class QuestionFigures:
    answered: int = 0
    counts: dict = field(default_factory=dict)  # option id (or scale value) -> times chosen
    mean: Decimal | None = None  # scales and numbers
    positions: dict = field(default_factory=dict)  # ranking: option id -> {"mean", "n"}
    breakdown: Breakdown | None = None  # when asked for one


# Kinds whose breakdown has a column per option (or scale value).
_CELL_KINDS = {QuestionKind.SINGLE, QuestionKind.SCALE, QuestionKind.MULTIPLE}


def _group_sql(by) -> tuple[str, str, dict]:
    """The join and expression that put each answer's response in a breakdown group."""
    if by is None:
        return "", "NULL::int", {}
    if by == "territory":
        return (
            "JOIN survey_responses r ON r.id = a.response_id AND r.survey_id = :survey",
            "r.territory_id",
            {},
        )
    return (
        "LEFT JOIN survey_answers g ON g.response_id = a.response_id AND g.question_id = :g",
        "(g.value #>> '{}')::int",
        {"g": by.id},
    )


def question_figures(
    questions: list[Question], by=None, group_labels: dict | None = None
) -> dict[int, QuestionFigures]:
    """Counts, means, ranking places and (with `by`: "territory" or a single-choice question)
    the breakdown of every question given, all of one survey, in one pass over their answers.

    Each answer becomes one item (a multiple choice or a ranking one per chosen option, with
    its place), and the items are grouped four ways at once: per question (level 3), per
    question and option (2), per question and group (1), per question, group and option (0)."""
    figures = {q.id: QuestionFigures() for q in questions}
    if not questions:
        return figures
    join, group, params = _group_sql(by)
    sets = "(question_id), (question_id, key)"
    if by is not None:
        sets += ", (question_id, grp), (question_id, grp, key)"
    sql = f"""
        SELECT question_id, grp, key, GROUPING(grp, key) AS level,
               count(*) FILTER (WHERE first) AS answered, count(key) AS n,
               avg(place) AS mean_place, avg(number) AS mean
        FROM (
            SELECT a.question_id, {group} AS grp,
                   CASE WHEN q.kind IN ('single', 'scale') THEN (a.value #>> '{{}}')::int
                        ELSE e.option::int END AS key,
                   e.place, e.place IS NULL OR e.place = 1 AS first,
                   CASE WHEN q.kind IN ('scale', 'number')
                        THEN (a.value #>> '{{}}')::numeric END AS number
            FROM survey_answers a
            JOIN survey_questions q ON q.id = a.question_id
            {join}
            LEFT JOIN LATERAL jsonb_array_elements_text(
                CASE WHEN jsonb_typeof(a.value) = 'array' THEN a.value END
            ) WITH ORDINALITY AS e(option, place) ON true
            WHERE a.question_id = ANY(:questions)
        ) AS items
        GROUP BY GROUPING SETS ({sets})
        HAVING GROUPING(key) = 1 OR count(key) > 0
    """  # noqa: S608 - only our own fragments are formatted in
    rows = db.session.execute(
        text(sql),
        {
            **params,
            "questions": list(figures),
            "survey": questions[0].survey_id,
        },
    )
    kinds = {q.id: q.kind for q in questions}
    if by is not None:
        for figure in figures.values():
            figure.breakdown = Breakdown(groups=[])
    for row in rows:
        figure = figures[row.question_id]
        kind = kinds[row.question_id]
        if row.level == 3:
            figure.answered = row.answered
            figure.mean = row.mean
        elif row.level == 2:
            figure.counts[row.key] = row.n
            if kind == QuestionKind.RANKING:
                figure.positions[row.key] = {"mean": float(row.mean_place), "n": row.n}
        elif row.level == 1:
            figure.breakdown.groups.append(
                {"key": row.grp, "label": (group_labels or {}).get(row.grp), "total": row.answered}
            )
            if row.mean is not None:
                figure.breakdown.means[row.grp] = float(row.mean)
        elif kind in _CELL_KINDS:
            figure.breakdown.cells[(row.grp, row.key)] = row.n
    if by is not None:
        order = list(group_labels or {})
        for figure in figures.values():
            figure.breakdown.groups.sort(
                key=lambda g: (g["key"] is None, order.index(g["key"]) if g["key"] in order else 0)
            )
    return figures


_NO_NUMBERS = {"n": 0, "min": None, "max": None, "mean": None, "median": None, "total": None}


def number_statistics(question_ids: list[int]) -> dict[int, dict]:
    """Count, smallest, largest, mean, median and sum of each number question given."""
    stats = {question_id: dict(_NO_NUMBERS) for question_id in question_ids}
    if not question_ids:
        return stats
    rows = db.session.execute(
        text(
            """
            SELECT question_id, count(*) AS n, min(x) AS min, max(x) AS max, avg(x) AS mean,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY x) AS median,
                   sum(x) AS total
            FROM (SELECT question_id, (value #>> '{}')::numeric AS x FROM survey_answers
                  WHERE question_id = ANY(:questions)) AS numbers
            GROUP BY question_id
            """
        ),
        {"questions": list(question_ids)},
    )
    for row in rows:
        values = dict(row._mapping)
        stats[values.pop("question_id")] = values
    return stats


def map_cells_by_question(question_ids: list[int], min_count: int = 1) -> dict[int, list[dict]]:
    """Map answers of each question clustered on a grid in PostGIS: centre and count of each
    cell with at least `min_count` answers, the 2,000 largest cells per question."""
    cells: dict[int, list[dict]] = {question_id: [] for question_id in question_ids}
    if not question_ids:
        return cells
    sql = text(
        """
        SELECT question_id, lat, lon, n
        FROM (
            SELECT question_id,
                   ST_Y(ST_Centroid(ST_Collect(geom))) AS lat,
                   ST_X(ST_Centroid(ST_Collect(geom))) AS lon, count(*) AS n,
                   row_number() OVER (PARTITION BY question_id ORDER BY count(*) DESC) AS place
            FROM survey_answers
            WHERE question_id = ANY(:questions) AND geom IS NOT NULL
            GROUP BY question_id, ST_SnapToGrid(geom, :grid)
            HAVING count(*) >= :min
        ) AS grid
        WHERE place <= 2000
        ORDER BY question_id, place
        """
    )
    rows = db.session.execute(
        sql, {"questions": list(question_ids), "grid": MAP_GRID_DEGREES, "min": min_count}
    )
    for row in rows:
        cells[row.question_id].append({"lat": row.lat, "lon": row.lon, "n": row.n})
    return cells


# --- one question ---------------------------------------------------------------------------


def _figures(question: Question | None) -> QuestionFigures:
    return question_figures([question])[question.id] if question else QuestionFigures()


def answered_count(question_id: int) -> int:
    return _figures(db.session.get(Question, question_id)).answered


def option_counts(question: Question) -> dict[int, int]:
    """Option id (or scale value) -> number of answers that chose it."""
    return _figures(question).counts


def scale_mean(question_id: int) -> Decimal | None:
    return _figures(db.session.get(Question, question_id)).mean


def number_stats(question_id: int) -> dict:
    return number_statistics([question_id])[question_id]


def ranking_positions(question_id: int) -> dict[int, dict]:
    """Option id -> average position (1 = first) and how many ranked it."""
    return _figures(db.session.get(Question, question_id)).positions


def map_cells(question_id: int, min_count: int = 1) -> list[dict]:
    """Map answers clustered on a grid in PostGIS: centre and count of each cell."""
    return map_cells_by_question([question_id], min_count)[question_id]


def breakdown(question: Question, by, group_labels: dict) -> Breakdown:
    """Answers to `question` split by territorial unit or by the answer to a single choice."""
    return question_figures([question], by, group_labels)[question.id].breakdown


def hide_small_groups(result: Breakdown, minimum: int = PUBLIC_MIN_CELL) -> Breakdown:
    """Public results: a group with fewer responses than `minimum` shows no figures."""
    hidden = {g["key"] for g in result.groups if g["total"] < minimum}
    for group in result.groups:
        group["hidden"] = group["key"] in hidden
    result.cells = {k: v for k, v in result.cells.items() if k[0] not in hidden}
    result.means = {k: v for k, v in result.means.items() if k not in hidden}
    return result


# --- text answers ---------------------------------------------------------------------------


@dataclass
class TextPage:
    items: list[dict]
    page: int
    total: int
    per_page: int = TEXT_PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def text_answers(question_id: int, search: str = "", page: int = 1) -> TextPage:
    """Text answers, newest first, filtered accent-insensitively, one page at a time."""
    where = "a.question_id = :q"
    params: dict = {"q": question_id}
    if search:
        where += (
            " AND kopa_unaccent(lower(a.value #>> '{}')) "
            "LIKE '%' || kopa_unaccent(lower(:search)) || '%'"
        )
        params["search"] = search.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")
    total = db.session.scalar(
        text(f"SELECT count(*) FROM survey_answers a WHERE {where}"),  # noqa: S608
        params,
    )
    page = max(1, min(page, max(1, -(-total // TEXT_PAGE_SIZE))))
    rows = db.session.execute(
        text(
            f"""
            SELECT a.value #>> '{{}}' AS text, r.submitted_at, r.channel
            FROM survey_answers a JOIN survey_responses r ON r.id = a.response_id
            WHERE {where} ORDER BY r.submitted_at DESC, r.id DESC
            LIMIT :limit OFFSET :offset
            """  # noqa: S608
        ),
        {**params, "limit": TEXT_PAGE_SIZE, "offset": (page - 1) * TEXT_PAGE_SIZE},
    )
    return TextPage(items=[dict(r._mapping) for r in rows], page=page, total=total)


# --- exports ------------------------------------------------------------------------------


def export_rows(survey_id: int):
    """One row per response with its answers as {question id: value}, streamed from the server."""
    sql = text(
        """
        SELECT r.id, r.submitted_at, r.channel, t.name AS territory,
               coalesce((SELECT jsonb_object_agg(a.question_id::text, a.value)
                         FROM survey_answers a WHERE a.response_id = r.id), '{}'::jsonb)
                   AS answers
        FROM survey_responses r LEFT JOIN territories t ON t.id = r.territory_id
        WHERE r.survey_id = :s ORDER BY r.id
        """
    )
    return db.session.execute(
        sql, {"s": survey_id}, execution_options={"stream_results": True, "yield_per": 1000}
    )


def map_answers_geojson(survey_id: int) -> str:
    sql = text(
        """
        SELECT json_build_object('type', 'FeatureCollection', 'features',
            coalesce(json_agg(json_build_object(
                'type', 'Feature',
                'geometry', ST_AsGeoJSON(a.geom, 6)::json,
                'properties', json_build_object(
                    'response_id', r.id, 'question_id', a.question_id,
                    'question', q.prompt, 'channel', r.channel,
                    'approximate', coalesce((a.value ->> 'approximate')::boolean, false),
                    'submitted_at', r.submitted_at)
            ) ORDER BY r.id, q.position), '[]'::json))::text
        FROM survey_answers a
        JOIN survey_responses r ON r.id = a.response_id
        JOIN survey_questions q ON q.id = a.question_id
        WHERE r.survey_id = :s AND a.geom IS NOT NULL
        """
    )
    return db.session.scalar(sql, {"s": survey_id})
