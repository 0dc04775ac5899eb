"""Reads for surveys: listings and results, aggregated in PostgreSQL (GROUP BY, jsonb)."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, or_, select, text

from app.extensions import db
from app.surveys import tallies
from app.surveys.models import (
    Question,
    ResponseChannel,
    Survey,
    SurveyResponse,
    SurveyState,
    survey_territories,
)
from app.surveys.tallies import Breakdown

# Breakdown cells of public results with fewer responses than this are hidden.
PUBLIC_MIN_CELL = 5
TEXT_PAGE_SIZE = 20


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
    return days_and_channels(tallies.response_tallies(survey_id)[1])


def days_and_channels(by_day: list[tuple]) -> tuple[list[dict], dict[str, int]]:
    """(day, channel, count) rows as one row per day with a count per channel, and totals."""
    days: dict = {}
    totals = {c.value: 0 for c in ResponseChannel}
    for row_day, channel, count in by_day:
        entry = days.setdefault(row_day, {"day": row_day, "total": 0})
        entry[channel] = count
        entry["total"] += count
        totals[channel] += count
    return list(days.values()), totals


def responses_by_territory(survey: Survey) -> list[dict]:
    """Responses per territorial unit, the survey's target units listed even with none."""
    return territory_rows(survey, tallies.response_tallies(survey.id)[0])


def territory_rows(survey: Survey, by_unit: dict) -> list[dict]:
    """The units with responses (`by_unit`: unit id -> count) or targeted by the survey, the
    most responses first, then responses with no unit given."""
    sql = text(
        """
        SELECT t.id, t.name, t.name_en, st.survey_id IS NOT NULL AS targeted
        FROM territories t
        LEFT JOIN survey_territories st ON st.territory_id = t.id AND st.survey_id = :s
        ORDER BY t.name
        """
    )
    rows = [
        {**r._mapping, "n": by_unit.get(r.id, 0)}
        for r in db.session.execute(sql, {"s": survey.id})
        if by_unit.get(r.id) or r.targeted
    ]
    rows.sort(key=lambda row: -row["n"])  # stable: units with as many stay in name order
    if by_unit.get(None):
        rows.append(
            {"id": None, "name": None, "name_en": None, "n": by_unit[None], "targeted": False}
        )
    return rows


# --- per question (the results page counts all questions at once: app.surveys.figures) -----


def _tallies(question_id: int) -> list[tallies.Tally]:
    return tallies.answer_tallies([question_id])[question_id]


def answered_count(question_id: int) -> int:
    return tallies.answered(_tallies(question_id))


def answered_counts(question_ids: list[int]) -> dict[int, int]:
    """Question id -> number of answers, for many questions in one statement."""
    return {
        qid: tallies.answered(rows) for qid, rows in tallies.answer_tallies(question_ids).items()
    }


def option_counts(question: Question) -> dict[int, int]:
    """Option id (or scale value) -> number of answers that chose it."""
    return tallies.option_counts(_tallies(question.id))


def scale_mean(question_id: int) -> Decimal | None:
    return tallies.mean(_tallies(question_id))


def number_stats(question_id: int) -> dict:
    median = tallies.number_medians([question_id]).get(question_id)
    return tallies.number_stats(_tallies(question_id), median)


def ranking_positions(question_id: int) -> dict[int, dict]:
    """Option id -> average position (1 = first) and how many ranked it."""
    return tallies.ranking_positions(_tallies(question_id))


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
    return cells_at_least(tallies.map_cells(question_id), min_count)


def cells_at_least(cells: list[tuple], min_count: int) -> list[dict]:
    return [{"lat": lat, "lon": lon, "n": n} for lat, lon, n in cells if n >= min_count]


# --- breakdowns --------------------------------------------------------------------------


def breakdown(question: Question, by, group_labels: dict) -> Breakdown:
    """Answers to `question` split by territorial unit or by the answer to a single choice."""
    rows = tallies.answer_tallies([question.id], by)[question.id]
    return tallies.breakdown(question, rows, group_labels)


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
