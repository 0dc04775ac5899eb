"""Answering surveys: the listing, the survey page, preview, paper and workshop entry."""

import secrets

from flask import (
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer

from app.core.auth import public
from app.core.forms import refused_status
from app.core.security import csp_nonce
from app.extensions import db, limiter
from app.i18n import _
from app.maps.render import render_map
from app.maps.territories import territories_map
from app.surveys import bp
from app.surveys import services as surveys
from app.surveys.access import get_survey_or_404, managed_survey_or_403
from app.surveys.answers import parse_answers
from app.surveys.forms import AnswerMetaForm
from app.surveys.models import QuestionKind, ResponseChannel, Survey, SurveyAccess, SurveyState
from app.surveys.queries import open_surveys
from app.territories import queries as territory_queries
from app.territories.models import Territory

# Best effort for anonymous surveys: a signed cookie lists the surveys this browser answered.
ANSWERED_COOKIE = "kopa_surveys"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="kopa-surveys-answered")


def answered_in_this_browser() -> set[int]:
    raw = request.cookies.get(ANSWERED_COOKIE)
    if not raw:
        return set()
    try:
        ids = _serializer().loads(raw)
    except BadSignature:
        return set()
    return {i for i in ids if isinstance(i, int)} if isinstance(ids, list) else set()


def _remember_answer(response, survey_id: int):
    ids = sorted(answered_in_this_browser() | {survey_id})[-200:]
    response.set_cookie(
        ANSWERED_COOKIE,
        _serializer().dumps(ids),
        max_age=3 * 365 * 24 * 3600,
        samesite="Lax",
        httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response


def _answer_limit() -> str:
    return current_app.config.get("RATELIMIT_SURVEY_ANSWERS", "30 per hour")


def territory_options(survey: Survey) -> list[tuple[int, str]]:
    units = survey.territories or None
    if units:
        choices = [(t.id, t.display_name()) for t in units]
    else:
        choices = territory_queries.territory_choices()
    return [(0, _("— not given —")), *choices]


def question_maps(survey: Survey) -> dict[int, object]:
    """A pin-picker map for each map question, rendered with the units outlined."""
    questions = [q for q in survey.questions if q.kind == QuestionKind.MAP_POINT]
    if not questions:
        return {}
    geojson = territory_queries.territories_geojson(lang=g.lang, simplify=0.0005)
    bounds = territory_queries.territories_bounds()
    maps = {}
    for question in questions:
        fmap = territories_map(
            geojson,
            bounds,
            current_app.config["TILE_URL"],
            current_app.config["TILE_ATTRIBUTION"],
        )
        maps[question.id] = render_map(fmap, csp_nonce())
    return maps


def _form_context(survey: Survey, meta: AnswerMetaForm, errors=None, **extra) -> dict:
    return {
        "survey": survey,
        "meta": meta,
        "errors": errors or {},
        "formdata": request.form if request.method == "POST" else None,
        "maps": question_maps(survey),
        "all_units": territory_queries.territory_choices(),
        **extra,
    }


def _parse_territory(meta: AnswerMetaForm, survey: Survey) -> tuple[int | None, str | None]:
    raw = request.form.get("territory", "0")
    if not raw.isdigit():
        return None, _("Please choose a territorial unit from the list.")
    territory_id = int(raw) or None
    allowed = {value for value, _label in territory_options(survey)}
    if territory_id and (
        territory_id not in allowed or not db.session.get(Territory, territory_id)
    ):
        return None, _("Please choose a territorial unit from the list.")
    return territory_id, None


@bp.route("/")
@public
def index():
    territory_id = request.args.get("territory", type=int)
    return render_template(
        "surveys/index.html",
        surveys=open_surveys(surveys.now(), territory_id),
        territory_id=territory_id,
        territories=territory_queries.territory_choices(),
    )


@bp.route("/<int:survey_id>", methods=["GET", "POST"])
@public
@limiter.limit(_answer_limit, methods=["POST"])
def show(survey_id: int):
    """The survey page and its answers. One answer per person is exact per account; for
    anonymous visitors it is best effort: a signed cookie (which a visitor can delete) plus a
    rate limit per address (RATELIMIT_SURVEY_ANSWERS, which shared addresses make coarse)."""
    survey = get_survey_or_404(survey_id)
    if survey.state == SurveyState.DRAFT:
        if surveys.can_manage(current_user, survey):
            return redirect(url_for("surveys.preview", survey_id=survey.id))
        abort(404)
    refusal = surveys.accepting_answers(survey)
    needs_sign_in = survey.access == SurveyAccess.SIGNED_IN and not current_user.is_authenticated
    meta = AnswerMetaForm()
    meta.territory.choices = territory_options(survey)
    already = survey.one_per_person and (
        surveys.has_answered(survey, current_user)
        or (
            survey.access == SurveyAccess.ANONYMOUS
            and not current_user.is_authenticated
            and survey.id in answered_in_this_browser()
        )
    )
    status = 200
    errors: dict = {}
    if request.method == "POST":
        done = surveys.find_by_token(request.form.get("submission_token"))
        if done is not None and done.survey_id == survey.id:
            return redirect(url_for("surveys.thanks", survey_id=survey.id))
        if refusal:
            status = 403
        elif needs_sign_in:
            return current_app.login_manager.unauthorized()
        elif already:
            status = 409
        elif meta.validate_on_submit():
            parsed = parse_answers(survey.questions, request.form)
            territory_id, territory_error = _parse_territory(meta, survey)
            if territory_error:
                meta.territory.errors = [territory_error]
            if not parsed.errors and not territory_error:
                surveys.lock_survey(survey.id)
                if survey.one_per_person and surveys.has_answered(survey, current_user):
                    db.session.rollback()
                    status = 409
                    already = True
                else:
                    surveys.store_response(
                        survey,
                        parsed,
                        user=current_user,
                        territory_id=territory_id,
                        token=meta.submission_token.data,
                    )
                    db.session.commit()
                    response = redirect(url_for("surveys.thanks", survey_id=survey.id))
                    return _remember_answer(response, survey.id)
            else:
                errors = parsed.errors
                status = 422
        else:
            status = refused_status(meta)
    if request.method == "GET" or not meta.submission_token.data:
        meta.submission_token.data = secrets.token_urlsafe(24)
    return render_template(
        "surveys/show.html",
        **_form_context(
            survey,
            meta,
            errors,
            refusal=refusal,
            needs_sign_in=needs_sign_in,
            already=already,
            can_manage=surveys.can_manage(current_user, survey),
        ),
    ), status


@bp.route("/<int:survey_id>/thanks")
@public
def thanks(survey_id: int):
    survey = get_survey_or_404(survey_id)
    if survey.state == SurveyState.DRAFT:
        abort(404)
    return render_template("surveys/thanks.html", survey=survey)


@bp.route("/<int:survey_id>/preview", methods=["GET", "POST"])
def preview(survey_id: int):
    """The survey exactly as respondents see it; a posted preview is checked, never stored."""
    survey = managed_survey_or_403(survey_id)
    meta = AnswerMetaForm()
    meta.territory.choices = territory_options(survey)
    errors: dict = {}
    checked = False
    if meta.validate_on_submit():
        errors = parse_answers(survey.questions, request.form).errors
        checked = not errors
    return render_template(
        "surveys/show.html",
        **_form_context(survey, meta, errors, preview=True, checked=checked),
    ), (refused_status(meta) if errors or meta.errors else 200)


@bp.route("/<int:survey_id>/enter", methods=["GET", "POST"])
def enter(survey_id: int):
    """Paper and workshop answers typed in by the leader or a volunteer with the role."""
    survey = managed_survey_or_403(survey_id)
    if survey.state == SurveyState.DRAFT:
        flash(_("Publish the survey before entering answers."), "error")
        return redirect(url_for("surveys.edit", survey_id=survey.id))
    meta = AnswerMetaForm()
    meta.territory.choices = territory_options(survey)
    meta.territory.label.text = _("Territorial unit of the respondent")
    errors: dict = {}
    status = 200
    if request.method == "POST":
        done = surveys.find_by_token(request.form.get("submission_token"))
        if done is not None and done.survey_id == survey.id:
            return redirect(url_for("surveys.enter", survey_id=survey.id))
        if meta.validate_on_submit():
            parsed = parse_answers(survey.questions, request.form)
            territory_id, territory_error = _parse_territory(meta, survey)
            if territory_error:
                meta.territory.errors = [territory_error]
            errors = parsed.errors
            if not errors and not territory_error:
                surveys.store_response(
                    survey,
                    parsed,
                    channel=ResponseChannel(meta.channel.data),
                    entered_by=current_user,
                    territory_id=territory_id,
                    token=meta.submission_token.data,
                )
                db.session.commit()
                flash(_("The answers were saved. You can type in the next form."), "success")
                return redirect(
                    url_for("surveys.enter", survey_id=survey.id, channel=meta.channel.data)
                )
        status = refused_status(meta)
    else:
        meta.channel.data = request.args.get("channel", ResponseChannel.PAPER.value)
    meta.submission_token.data = secrets.token_urlsafe(24)
    return render_template("surveys/enter.html", **_form_context(survey, meta, errors)), status
