"""Public survey results as open data: aggregates only, through the surveys package's queries.

Free-text and map answers are left out (they are not aggregates and may identify people);
a survey is included once its results are public and it has been published.
"""

import csv
import io
from collections.abc import Iterator

from sqlalchemy import select

from app.extensions import db
from app.surveys import queries as survey_queries
from app.surveys.models import QuestionKind, Survey, SurveyState

COLUMNS = [
    "survey_id",
    "survey",
    "survey_en",
    "question_id",
    "question",
    "question_en",
    "kind",
    "option",
    "option_en",
    "count",
    "mean",
    "responses",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """The same rule as the ideas CSV: a spreadsheet must not run a cell as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def public_surveys() -> list[Survey]:
    return list(
        db.session.scalars(
            select(Survey)
            .where(Survey.results_public.is_(True), Survey.state != SurveyState.DRAFT)
            .order_by(Survey.id)
        )
    )


def estimated_rows() -> int:
    """Roughly how many lines the CSV has (options, plus a few per scale or number question),
    without running the aggregates: the open data page must stay cheap."""
    from sqlalchemy import func

    from app.surveys.models import Question, QuestionOption

    public = (Survey.results_public.is_(True)) & (Survey.state != SurveyState.DRAFT)
    options = db.session.scalar(
        select(func.count(QuestionOption.id))
        .join(Question, Question.id == QuestionOption.question_id)
        .join(Survey, Survey.id == Question.survey_id)
        .where(public)
    )
    questions = db.session.scalar(
        select(func.count(Question.id)).join(Survey, Survey.id == Question.survey_id).where(public)
    )
    return (options or 0) + 6 * (questions or 0)


def _question_rows(question) -> Iterator[tuple]:
    """(option, option_en, count, mean) per aggregate of one question."""
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        counts = survey_queries.option_counts(question)
        for option in question.options:
            yield option.label, option.label_en, counts.get(option.id, 0), None
    elif question.kind == QuestionKind.SCALE:
        counts = survey_queries.option_counts(question)
        low, high = int(question.min_value or 1), int(question.max_value or 5)
        for value in range(low, high + 1):
            yield str(value), str(value), counts.get(value, 0), None
        mean = survey_queries.scale_mean(question.id)
        yield "mean", "mean", sum(counts.values()), None if mean is None else round(mean, 3)
    elif question.kind == QuestionKind.RANKING:
        positions = survey_queries.ranking_positions(question.id)
        for option in question.options:
            ranked = positions.get(option.id, {"n": 0, "mean": None})
            mean = None if ranked["mean"] is None else round(ranked["mean"], 3)
            yield option.label, option.label_en, ranked["n"], mean
    elif question.kind == QuestionKind.NUMBER:
        stats = survey_queries.number_stats(question.id)
        yield "mean", "mean", stats["n"], None if stats["mean"] is None else round(stats["mean"], 3)


def _line(values) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([neutralise(v) for v in values])
    return buffer.getvalue()


def survey_results_csv() -> Iterator[str]:
    """CSV lines, one aggregate per line, survey by survey."""
    yield _line(COLUMNS)
    for survey in public_surveys():
        total = survey_queries.response_total(survey.id)
        for question in survey.questions:
            for option, option_en, count, mean in _question_rows(question):
                yield _line(
                    [
                        survey.id,
                        survey.title,
                        survey.title_en,
                        question.id,
                        question.prompt,
                        question.prompt_en,
                        question.kind.value,
                        option,
                        option_en,
                        count,
                        mean,
                        total,
                    ]
                )
