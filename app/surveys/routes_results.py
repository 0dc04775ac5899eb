"""Results, exports and the printable survey."""

import io
import json
from dataclasses import asdict

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
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from app.core.auth import public
from app.core.cache import cached_text
from app.core.security import csp_nonce
from app.extensions import db
from app.i18n import _
from app.maps.render import RenderedMap, render_map
from app.maps.survey_answers import survey_answers_map
from app.surveys import bp, queries
from app.surveys import services as surveys
from app.surveys.access import get_survey_or_404, managed_survey_or_403, results_visible
from app.surveys.figures import SurveyFigures, survey_figures
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


# Rendered maps are cached with this in place of the request's CSP nonce.
NONCE_PLACEHOLDER = "kopa-survey-map-nonce"


def _answers_map(figures: SurveyFigures, question_id: int, public_view: bool, heat: bool):
    """The map of a question's answers. Rendering it (folium) costs more than counting from
    the cache, so the rendered map is cached beside the figures it shows."""
    cells = queries.cells_at_least(
        figures.map_cells[question_id], queries.PUBLIC_MIN_CELL if public_view else 1
    )
    bounds = territory_queries.territories_bounds()
    tiles = current_app.config["TILE_URL"], current_app.config["TILE_ATTRIBUTION"]

    def render() -> str:
        fmap = survey_answers_map(
            cells,
            bounds,
            *tiles,
            cluster_label=_("Answers (grouped)"),
            heat_label=_("Heat map"),
            answers_text=_("Answers here: %(count)s", count="%s"),
            heat=heat,
        )
        return json.dumps(asdict(render_map(fmap, NONCE_PLACEHOLDER)))

    parts = (figures.cache_key, question_id, public_view, heat, str(get_locale()), bounds, tiles)
    rendered = json.loads(cached_text("survey-results-map", parts, figures.cache_seconds, render))
    nonce = f'nonce="{csp_nonce()}"'
    for name in ("header", "script"):
        rendered[name] = rendered[name].replace(f'nonce="{NONCE_PLACEHOLDER}"', nonce)
    for name in ("header", "html", "script"):
        rendered[name] = Markup(rendered[name])  # noqa: S704 - our own rendering, cached
    return RenderedMap(**rendered), len(cells)


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
        question_id: _answers_map(figures, question_id, not manager, heat)
        for question_id in figures.map_cells
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
