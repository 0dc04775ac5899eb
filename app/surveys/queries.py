"""Reads for surveys: listings and results, aggregated in PostgreSQL (GROUP BY, jsonb)."""

from dataclasses import dataclass, field
from datetime import datetime

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


def responses_by_day_and_channel(survey_id: int) -> tuple[list[dict], dict[str, int]]:
    """Rows per day (Riga date) with a count per channel, and the totals per channel."""
    day = func.date(func.timezone("Europe/Riga", SurveyResponse.submitted_at)).label("day")
    rows = db.session.execute(
        select(day, SurveyResponse.channel, func.count())
        .where(SurveyResponse.survey_id == survey_id)
        .group_by(day, SurveyResponse.channel)
        .order_by(day)
    )
    days: dict = {}
    totals = {c.value: 0 for c in ResponseChannel}
    for row_day, channel, count in rows:
        entry = days.setdefault(row_day, {"day": row_day, "total": 0})
        entry[channel.value] = count
        entry["total"] += count
        totals[channel.value] += count
    return list(days.values()), totals


def responses_by_territory(survey: Survey) -> list[dict]:
    """Responses per territorial unit, the survey's target units listed even with none."""
    sql = text(
        """
        SELECT t.id, t.name, t.name_en, count(r.id) AS n,
               bool_or(st.survey_id IS NOT NULL) AS targeted
        FROM territories t
        LEFT JOIN survey_responses r ON r.territory_id = t.id AND r.survey_id = :s
        LEFT JOIN survey_territories st ON st.territory_id = t.id AND st.survey_id = :s
        GROUP BY t.id
        HAVING count(r.id) > 0 OR bool_or(st.survey_id IS NOT NULL)
        ORDER BY count(r.id) DESC, t.name
        """
    )
    rows = [dict(r._mapping) for r in db.session.execute(sql, {"s": survey.id})]
    unknown = db.session.scalar(
        select(func.count()).where(
            SurveyResponse.survey_id == survey.id, SurveyResponse.territory_id.is_(None)
        )
    )
    if unknown:
        rows.append({"id": None, "name": None, "name_en": None, "n": unknown, "targeted": False})
    return rows


# --- per question ------------------------------------------------------------------------

_KEY = {
    QuestionKind.SINGLE: ("", "(a.value #>> '{}')::int"),
    QuestionKind.SCALE: ("", "(a.value #>> '{}')::int"),
    QuestionKind.MULTIPLE: (
        "CROSS JOIN LATERAL jsonb_array_elements_text(a.value) AS e(v)",
        "e.v::int",
    ),
}


def answered_count(question_id: int) -> int:
    return db.session.scalar(
        text("SELECT count(*) FROM survey_answers WHERE question_id = :q"), {"q": question_id}
    )


def option_counts(question: Question) -> dict[int, int]:
    """Option id (or scale value) -> number of answers that chose it."""
    lateral, key = _KEY[question.kind]
    sql = text(
        f"SELECT {key} AS key, count(*) AS n FROM survey_answers a {lateral} "  # noqa: S608
        "WHERE a.question_id = :q GROUP BY 1"
    )
    return {row.key: row.n for row in db.session.execute(sql, {"q": question.id})}


def scale_mean(question_id: int) -> float | None:
    return db.session.scalar(
        text("SELECT avg((value #>> '{}')::numeric) FROM survey_answers WHERE question_id = :q"),
        {"q": question_id},
    )


def number_stats(question_id: int) -> dict:
    row = db.session.execute(
        text(
            """
            SELECT count(*) AS n, min(x) AS min, max(x) AS max, avg(x) AS mean,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY x) AS median,
                   sum(x) AS total
            FROM (SELECT (value #>> '{}')::numeric AS x FROM survey_answers
                  WHERE question_id = :q) AS numbers
            """
        ),
        {"q": question_id},
    ).one()
    return dict(row._mapping)


def ranking_positions(question_id: int) -> dict[int, dict]:
    """Option id -> average position (1 = first) and how many ranked it."""
    sql = text(
        """
        SELECT e.v::int AS option_id, avg(e.pos) AS mean_position, count(*) AS n
        FROM survey_answers a
        CROSS JOIN LATERAL jsonb_array_elements_text(a.value) WITH ORDINALITY AS e(v, pos)
        WHERE a.question_id = :q GROUP BY 1
        """
    )
    return {
        r.option_id: {"mean": float(r.mean_position), "n": r.n}
        for r in db.session.execute(sql, {"q": question_id})
    }


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


def map_cells(question_id: int, min_count: int = 1) -> list[dict]:
    """Map answers clustered on a grid in PostGIS: centre and count of each cell."""
    sql = text(
        """
        SELECT ST_Y(ST_Centroid(ST_Collect(geom))) AS lat,
               ST_X(ST_Centroid(ST_Collect(geom))) AS lon, count(*) AS n
        FROM survey_answers
        WHERE question_id = :q AND geom IS NOT NULL
        GROUP BY ST_SnapToGrid(geom, :grid)
        HAVING count(*) >= :min
        ORDER BY count(*) DESC
        LIMIT 2000
        """
    )
    rows = db.session.execute(sql, {"q": question_id, "grid": MAP_GRID_DEGREES, "min": min_count})
    return [dict(r._mapping) for r in rows]


# --- breakdowns --------------------------------------------------------------------------


@dataclass
class Breakdown:
    groups: list[dict]  # key, label, total (respondents in the group who answered)
    cells: dict = field(default_factory=dict)  # (group key, option key) -> count
    means: dict = field(default_factory=dict)  # group key -> mean (numbers, scales)


def _group_sql(by) -> tuple[str, str, dict]:
    if by == "territory":
        return "", "r.territory_id", {}
    return (
        "LEFT JOIN survey_answers g ON g.response_id = a.response_id AND g.question_id = :g",
        "(g.value #>> '{}')::int",
        {"g": by.id},
    )


def answered_counts(question_ids: list[int]) -> dict[int, int]:
    """Question id -> number of answers, for many questions in one statement."""
    counts = dict.fromkeys(question_ids, 0)
    if question_ids:
        rows = db.session.execute(
            text(
                "SELECT question_id, count(*) AS n FROM survey_answers "
                "WHERE question_id = ANY(:questions) GROUP BY 1"
            ),
            {"questions": list(question_ids)},
        )
        counts.update({row.question_id: row.n for row in rows})
    return counts


def group_totals(questions: list[Question], by) -> dict[int, list]:
    """Question id -> rows (grp, n, mean) of the answers per breakdown group, for all the
    questions of a survey in one pass over their answers (and one join to the responses)."""
    totals: dict[int, list] = {q.id: [] for q in questions}
    if not questions:
        return totals
    join, group, params = _group_sql(by)
    numeric = [q.id for q in questions if q.kind in (QuestionKind.NUMBER, QuestionKind.SCALE)]
    rows = db.session.execute(
        text(
            f"SELECT a.question_id, {group} AS grp, count(*) AS n, "  # noqa: S608
            "avg((a.value #>> '{}')::numeric) FILTER (WHERE a.question_id = ANY(:numeric)) "
            "AS mean FROM survey_answers a JOIN survey_responses r ON r.id = a.response_id "
            f"AND r.survey_id = :survey {join} "
            "WHERE a.question_id = ANY(:questions) GROUP BY 1, 2"
        ),
        {
            **params,
            "questions": list(totals),
            "numeric": numeric,
            "survey": questions[0].survey_id,
        },
    )
    for row in rows:
        totals[row.question_id].append(row)
    return totals


def breakdown(question: Question, by, group_labels: dict, totals: list | None = None) -> Breakdown:
    """Answers to `question` split by territorial unit or by the answer to a single choice.
    `totals` are the question's rows of `group_totals`, read here when not given."""
    join, group, params = _group_sql(by)
    params = {**params, "q": question.id, "survey": question.survey_id}
    base = (
        "FROM survey_answers a JOIN survey_responses r ON r.id = a.response_id "
        f"AND r.survey_id = :survey {join} {{lateral}} WHERE a.question_id = :q"
    )
    if totals is None:
        totals = group_totals([question], by)[question.id]
    result = Breakdown(groups=[])
    for row in totals:
        result.groups.append({"key": row.grp, "label": group_labels.get(row.grp), "total": row.n})
        if row.mean is not None:
            result.means[row.grp] = float(row.mean)
    order = list(group_labels)
    result.groups.sort(
        key=lambda g: (g["key"] is None, order.index(g["key"]) if g["key"] in order else 0)
    )
    if question.kind in _KEY:
        lateral, key = _KEY[question.kind]
        cells = db.session.execute(
            text(
                f"SELECT {group} AS grp, {key} AS key, count(*) AS n "
                + base.format(lateral=lateral)
                + " GROUP BY 1, 2"
            ),
            params,
        )
        result.cells = {(row.grp, row.key): row.n for row in cells}
    return result


def hide_small_groups(result: Breakdown, minimum: int = PUBLIC_MIN_CELL) -> Breakdown:
    """Public results: a group with fewer responses than `minimum` shows no figures."""
    hidden = {g["key"] for g in result.groups if g["total"] < minimum}
    for group in result.groups:
        group["hidden"] = group["key"] in hidden
    result.cells = {k: v for k, v in result.cells.items() if k[0] not in hidden}
    result.means = {k: v for k, v in result.means.items() if k not in hidden}
    return result


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
