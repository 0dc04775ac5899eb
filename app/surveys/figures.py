"""The counts behind a survey's results page, shared between visitors through Redis.

A cached entry is keyed by the survey's `results_version`, which database triggers move on with
every change to its responses or answers, and by its questions and their kinds: an entry can
only ever be read for exactly the state it was counted from, so it is never out of date. The
entries hold ids and numbers only; labels and wording are applied to them on every request.
Without Redis the counts are simply computed (app.core.cache).
"""

import json
from dataclasses import astuple, dataclass, field, replace
from datetime import date
from decimal import Decimal

from flask import current_app
from sqlalchemy import select

from app.core.cache import cached_text
from app.extensions import db
from app.surveys import tallies
from app.surveys.models import QuestionKind, Survey, SurveyState

CLOSED_CACHE_FACTOR = 24  # a closed survey's results no longer change: keep them longer


@dataclass
class SurveyFigures:
    tallies: dict[int, list[tallies.Tally]]  # question id -> tallies (with the breakdown)
    medians: dict[int, float]  # number question id -> median
    by_unit: dict  # territory id (None: not given) -> responses
    by_day: list[tuple]  # (Riga date, channel, responses)
    map_cells: dict[int, list[tuple]]  # map question id -> (lat, lon, count), fullest first
    # What the figures were cached under, and for how long: for what is derived from them.
    cache_key: tuple = field(default=(), compare=False)
    cache_seconds: int = field(default=0, compare=False)

    @property
    def total(self) -> int:
        return sum(self.by_unit.values())


def _by_key(by) -> str:
    if by is None or by == "territory":
        return str(by)
    return f"question:{by.id}"


def _count(survey: Survey, by) -> SurveyFigures:
    questions = survey.questions
    by_unit, by_day = tallies.response_tallies(survey.id)
    numbers = [q.id for q in questions if q.kind == QuestionKind.NUMBER]
    return SurveyFigures(
        tallies=tallies.answer_tallies([q.id for q in questions], by),
        medians=tallies.number_medians(numbers),
        by_unit=by_unit,
        by_day=by_day,
        map_cells={
            q.id: tallies.map_cells(q.id) for q in questions if q.kind == QuestionKind.MAP_POINT
        },
    )


def _number(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _encode(figures: SurveyFigures) -> str:
    return json.dumps(
        {
            "tallies": {
                qid: [
                    [*astuple(t)[:5], _number(t.total), _number(t.smallest), _number(t.largest)]
                    for t in rows
                ]
                for qid, rows in figures.tallies.items()
            },
            "medians": figures.medians,
            "by_unit": [[unit, n] for unit, n in figures.by_unit.items()],
            "by_day": [[day.isoformat(), channel, n] for day, channel, n in figures.by_day],
            "map_cells": figures.map_cells,
        }
    )


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _decode(payload: str) -> SurveyFigures:
    data = json.loads(payload)
    return SurveyFigures(
        tallies={
            int(qid): [tallies.Tally(*row[:5], *(_decimal(v) for v in row[5:])) for row in rows]
            for qid, rows in data["tallies"].items()
        },
        medians={int(qid): median for qid, median in data["medians"].items()},
        by_unit=dict(data["by_unit"]),
        by_day=[(date.fromisoformat(day), channel, n) for day, channel, n in data["by_day"]],
        map_cells={
            int(qid): [tuple(cell) for cell in cells] for qid, cells in data["map_cells"].items()
        },
    )


def survey_figures(survey: Survey, by) -> SurveyFigures:
    """Every count the results page shows, for the survey as it is now: from the cache when
    this very state was counted before, else counted (and cached for the next visitor)."""
    version = db.session.scalar(select(Survey.results_version).where(Survey.id == survey.id))
    parts = (
        db.engine.url.render_as_string(hide_password=True),
        survey.id,
        survey.created_at.isoformat(),
        version,
        [(q.id, q.kind.value) for q in survey.questions],
        _by_key(by),
    )
    seconds = current_app.config["SURVEY_RESULTS_CACHE_SECONDS"]
    if survey.state == SurveyState.CLOSED:
        seconds *= CLOSED_CACHE_FACTOR
    # Cached or not, the figures make the same round trip, so both paths give equal pages.
    payload = cached_text("survey-results", parts, seconds, lambda: _encode(_count(survey, by)))
    return replace(_decode(payload), cache_key=parts, cache_seconds=seconds)
