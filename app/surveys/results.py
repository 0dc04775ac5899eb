"""Results of a survey assembled for the page and the CSV, from the SQL aggregates."""

import csv
import io
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from app.i18n import _
from app.surveys import queries, tallies
from app.surveys.figures import SurveyFigures, survey_figures
from app.surveys.models import TEXT_KINDS, Question, QuestionKind, Survey
from app.territories.queries import territory_choices

RIGA = ZoneInfo("Europe/Riga")
BAR_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.SCALE}


@dataclass
class Bar:
    label: str
    count: int
    percent: float


@dataclass
class QuestionResult:
    question: Question
    answered: int
    bars: list[Bar] = field(default_factory=list)
    mean: float | None = None
    stats: dict | None = None
    ranking: list[dict] = field(default_factory=list)
    breakdown: object = None
    columns: list[tuple] = field(default_factory=list)  # breakdown columns (key, label)


def _percent(count: int, total: int) -> float:
    return round(100.0 * count / total, 1) if total else 0.0


def _columns(question: Question) -> list[tuple]:
    if question.kind == QuestionKind.SCALE:
        return [(value, str(value)) for value in range(1, 6)]
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        return [(o.id, o.display_label()) for o in question.options]
    return []


def group_labels(survey: Survey, by) -> dict:
    if by == "territory":
        return dict(territory_choices())
    return {o.id: o.display_label() for o in by.options}


def question_results(
    survey: Survey, by, labels: dict, public: bool, figures: SurveyFigures | None = None
) -> list[QuestionResult]:
    """The results of every question, from the survey's figures (counted for all questions at
    once, or taken from the cache; see app.surveys.figures)."""
    if figures is None:
        figures = survey_figures(survey, by)
    return [
        question_result(q, by, labels, public, figures.tallies[q.id], figures.medians.get(q.id))
        for q in survey.questions
    ]


def question_result(
    question: Question,
    by,
    labels: dict,
    public: bool,
    question_tallies: list[tallies.Tally],
    median: float | None = None,
) -> QuestionResult:
    result = QuestionResult(question=question, answered=tallies.answered(question_tallies))
    if question.kind in BAR_KINDS:
        counts = tallies.option_counts(question_tallies)
        result.bars = [
            Bar(label, counts.get(key, 0), _percent(counts.get(key, 0), result.answered))
            for key, label in _columns(question)
        ]
        if question.kind == QuestionKind.SCALE:
            mean = tallies.mean(question_tallies)
            result.mean = float(mean) if mean is not None else None
    elif question.kind == QuestionKind.NUMBER:
        result.stats = tallies.number_stats(question_tallies, median)
    elif question.kind == QuestionKind.RANKING:
        positions = tallies.ranking_positions(question_tallies)
        result.ranking = sorted(
            (
                {"label": o.display_label(), **positions.get(o.id, {"mean": None, "n": 0})}
                for o in question.options
            ),
            key=lambda row: (row["mean"] is None, row["mean"] or 0),
        )
    if by is not None and not (by != "territory" and by.id == question.id):
        result.breakdown = tallies.breakdown(question, question_tallies, labels)
        if public:
            queries.hide_small_groups(result.breakdown)
        result.columns = _columns(question)
    return result


# --- CSV ------------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Spreadsheet programs run a cell that starts like a formula; a quote makes it text."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_header(survey: Survey) -> list[str]:
    header = [_("Response"), _("Submitted (Riga time)"), _("Channel"), _("Territorial unit")]
    for number, question in enumerate(survey.questions, start=1):
        prompt = f"Q{number} {question.prompt}"
        if question.kind == QuestionKind.MULTIPLE or question.kind == QuestionKind.RANKING:
            header += [f"{prompt}: {o.label}" for o in question.options]
        elif question.kind == QuestionKind.MAP_POINT:
            latitude, longitude = _("latitude"), _("longitude")
            header += [f"{prompt}: {latitude}", f"{prompt}: {longitude}"]
        else:
            header.append(prompt)
    return [neutralise(cell) for cell in header]


def csv_cells(question: Question, value) -> list[str]:
    if question.kind == QuestionKind.MULTIPLE:
        chosen = set(value or [])
        return [
            ("1" if o.id in chosen else "0") if value is not None else "" for o in question.options
        ]
    if question.kind == QuestionKind.RANKING:
        order = value or []
        return [str(order.index(o.id) + 1) if o.id in order else "" for o in question.options]
    if question.kind == QuestionKind.MAP_POINT:
        return [str(value["lat"]), str(value["lon"])] if value else ["", ""]
    if value is None:
        return [""]
    if question.kind == QuestionKind.SINGLE:
        labels = {o.id: o.label for o in question.options}
        return [neutralise(labels.get(value, ""))]
    if question.kind in TEXT_KINDS:
        return [neutralise(str(value))]
    return [str(value)]


def csv_lines(survey: Survey, channel_labels: dict):
    """The CSV as chunks of text: a BOM (for Excel), the header, one line per response.
    Everything about the survey is read before streaming starts."""
    questions = survey.questions
    for question in questions:
        question.options  # noqa: B018 - loaded now, not while streaming
    header = csv_header(survey)
    return _stream(survey.id, questions, header, channel_labels)


def _stream(survey_id: int, questions: list[Question], header: list[str], channel_labels: dict):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    yield "\ufeff" + buffer.getvalue()
    for row in queries.export_rows(survey_id):
        buffer.seek(0)
        buffer.truncate()
        cells = [
            str(row.id),
            row.submitted_at.astimezone(RIGA).strftime("%Y-%m-%d %H:%M"),
            str(channel_labels.get(row.channel, row.channel)),
            neutralise(row.territory or ""),
        ]
        for question in questions:
            cells += csv_cells(question, row.answers.get(str(question.id)))
        writer.writerow(cells)
        yield buffer.getvalue()
