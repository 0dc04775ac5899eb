"""Results, exports and the printable survey."""

import io

import segno
from flask import (
    Response,
    abort,
    current_app,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user
from markupsafe import Markup

from app.core.auth import public
from app.core.security import csp_nonce
from app.extensions import db
from app.i18n import _
from app.maps.render import render_map
from app.maps.survey_answers import survey_answers_map
from app.surveys import bp, queries
from app.surveys import services as surveys
from app.surveys.access import get_survey_or_404, managed_survey_or_403, results_visible
from app.surveys.figures import survey_figures
from app.surveys.forms import CHANNEL_LABELS
from app.surveys.models import Question, QuestionKind, SurveyState
from app.surveys.results import csv_lines, group_labels, question_results
from app.territories import queries as territory_queries


def _visible_survey_or_403(survey_id: int):
    survey = get_survey_or_404(survey_id)
    if not results_visible(survey):
        if not current_user.is_authenticated:
            abort(current_app.login_manager.unauthorized())
        abort(403)
    return survey


def _breakdown_by(survey):
    """'territory' (default), a single-choice question of the survey, or None."""
    raw = request.args.get("by", "territory")
    if raw == "none":
        return None
    if raw.isdigit():
        question = db.session.get(Question, int(raw))
        if question and question.survey_id == survey.id and question.kind == QuestionKind.SINGLE:
            return question
    return "territory"


def _answers_map(cells: list[tuple], public_view: bool, heat: bool):
    cells = queries.cells_at_least(cells, queries.PUBLIC_MIN_CELL if public_view else 1)
    fmap = survey_answers_map(
        cells,
        territory_queries.territories_bounds(),
        current_app.config["TILE_URL"],
        current_app.config["TILE_ATTRIBUTION"],
        cluster_label=_("Answers (grouped)"),
        heat_label=_("Heat map"),
        answers_text=_("Answers here: %(count)s", count="%s"),
        heat=heat,
    )
    return render_map(fmap, csp_nonce()), len(cells)


@bp.route("/<int:survey_id>/results")
@public
def results(survey_id: int):
    survey = _visible_survey_or_403(survey_id)
    manager = surveys.can_manage(current_user, survey)
    by = _breakdown_by(survey)
    labels = group_labels(survey, by) if by is not None else {}
    figures = survey_figures(survey, by)
    days, channel_totals = queries.days_and_channels(figures.by_day)
    heat = request.args.get("view") == "heat"
    per_question = question_results(survey, by, labels, public=not manager, figures=figures)
    maps = {
        question_id: _answers_map(cells, not manager, heat)
        for question_id, cells in figures.map_cells.items()
    }
    return render_template(
        "surveys/results.html",
        survey=survey,
        manager=manager,
        total=figures.total,
        days=days,
        channel_totals=channel_totals,
        channel_labels=CHANNEL_LABELS,
        territories=queries.territory_rows(survey, figures.by_unit),
        results=per_question,
        by=by,
        single_questions=[q for q in survey.questions if q.kind == QuestionKind.SINGLE],
        maps=maps,
        maps_rendered={qid: rendered for qid, (rendered, _count) in maps.items()},
        heat=heat,
        min_cell=queries.PUBLIC_MIN_CELL,
    )


@bp.route("/<int:survey_id>/results/questions/<int:question_id>/answers")
def text_answers(survey_id: int, question_id: int):
    """Individual text answers: only for those who manage the survey."""
    survey = managed_survey_or_403(survey_id)
    question = db.session.get(Question, question_id)
    if question is None or question.survey_id != survey.id:
        abort(404)
    search = (request.args.get("q") or "").strip()[:100]
    page = queries.text_answers(question.id, search, request.args.get("page", 1, type=int))
    return render_template(
        "surveys/text_answers.html",
        survey=survey,
        question=question,
        search=search,
        page=page,
        channel_labels=CHANNEL_LABELS,
    )


@bp.route("/<int:survey_id>/results.csv")
def export_csv(survey_id: int):
    survey = managed_survey_or_403(survey_id)
    labels = {c.value: str(label) for c, label in CHANNEL_LABELS.items()}
    response = Response(
        stream_with_context(csv_lines(survey, labels)), mimetype="text/csv; charset=utf-8"
    )
    response.headers["Content-Disposition"] = f'attachment; filename="survey-{survey.id}.csv"'
    return response


@bp.route("/<int:survey_id>/answers.geojson")
def export_geojson(survey_id: int):
    survey = managed_survey_or_403(survey_id)
    response = Response(queries.map_answers_geojson(survey.id), mimetype="application/geo+json")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="survey-{survey.id}-places.geojson"'
    )
    return response


def qr_svg(link: str) -> Markup:
    """The QR code as inline SVG (no style attributes, so the CSP needs no exception)."""
    buffer = io.BytesIO()
    segno.make(link, error="m").save(
        buffer,
        kind="svg",
        scale=4,
        border=2,
        xmldecl=False,
        svgclass="qr-code",
        lineclass=None,
        title=_("QR code: link to the online survey"),
    )
    return Markup(buffer.getvalue().decode())  # noqa: S704 - segno's own markup


@bp.route("/<int:survey_id>/print")
@public
def print_version(survey_id: int):
    survey = get_survey_or_404(survey_id)
    if survey.state == SurveyState.DRAFT and not surveys.can_manage(current_user, survey):
        abort(404)
    link = url_for("surveys.show", survey_id=survey.id, _external=True)
    return render_template(
        "surveys/print.html",
        survey=survey,
        link=link,
        qr=qr_svg(link),
        units=territory_queries.territory_choices(),
    )
