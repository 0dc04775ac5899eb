"""The survey builder for community leaders (their own surveys), staff and admins."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts.models import Role
from app.audit import record
from app.core.auth import role_required
from app.core.forms import refused_status
from app.extensions import db
from app.i18n import _
from app.surveys import bp
from app.surveys import services as surveys
from app.surveys.access import managed_survey_or_403
from app.surveys.forms import (
    KIND_LABELS,
    ActionForm,
    OptionForm,
    QuestionForm,
    SectionForm,
    SurveyForm,
    to_riga,
    to_utc,
)
from app.surveys.models import (
    OPTION_KINDS,
    Question,
    QuestionKind,
    QuestionOption,
    Survey,
    SurveyAccess,
    SurveySection,
    SurveyState,
)
from app.surveys.queries import managed_surveys
from app.territories.models import Territory
from app.territories.queries import territory_choices

SURVEY_TEXTS = ("title", "title_en", "description", "description_en")
SECTION_TEXTS = ("title", "title_en", "description", "description_en")
QUESTION_FIELDS = (
    "prompt",
    "prompt_en",
    "help",
    "help_en",
    "required",
    "min_choices",
    "max_choices",
    "min_value",
    "max_value",
    "scale_low_label",
    "scale_low_label_en",
    "scale_high_label",
    "scale_high_label_en",
)


def _clean(value):
    return value.strip() or None if isinstance(value, str) else value


def _territory_choices_for(user) -> list[tuple[int, str]]:
    if user.is_staff:
        return territory_choices()
    return [(t.id, t.display_name()) for t in user.leader_of]


def _survey_form(survey: Survey | None = None) -> SurveyForm:
    form = SurveyForm(obj=survey, territory_required=not current_user.is_staff)
    form.territories.choices = _territory_choices_for(current_user)
    if survey is not None and request.method == "GET":
        form.territories.data = [t.id for t in survey.territories]
        form.opens_at.data = to_riga(survey.opens_at)
        form.closes_at.data = to_riga(survey.closes_at)
        form.access.data = survey.access.value
    return form


def _apply_survey_form(form: SurveyForm, survey: Survey) -> None:
    for name in SURVEY_TEXTS:
        setattr(survey, name, _clean(getattr(form, name).data))
    allowed = {value for value, _label in form.territories.choices}
    chosen = [tid for tid in form.territories.data or [] if tid in allowed]
    # A leader keeps the units of other leaders that staff may have added.
    kept = [t for t in survey.territories if t.id not in allowed]
    survey.territories = kept + [db.session.get(Territory, tid) for tid in chosen]
    survey.opens_at = to_utc(form.opens_at.data)
    survey.closes_at = to_utc(form.closes_at.data)
    survey.access = SurveyAccess(form.access.data)
    survey.one_per_person = form.one_per_person.data
    survey.results_public = form.results_public.data


@bp.route("/mine")
@role_required(Role.LEADER)
def mine():
    return render_template("surveys/mine.html", rows=managed_surveys(current_user))


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.LEADER)
def create():
    form = _survey_form()
    if request.method == "GET":
        form.one_per_person.data = True
    if form.validate_on_submit():
        survey = Survey(owner=current_user, state=SurveyState.DRAFT)
        _apply_survey_form(form, survey)
        db.session.add(survey)
        db.session.flush()
        surveys.add_section(survey, title=_("Questions"))
        record(current_user, "survey.create", f"survey:{survey.id}", after={"title": survey.title})
        db.session.commit()
        flash(_("The survey was created. Now add its questions."), "success")
        return redirect(url_for("surveys.edit", survey_id=survey.id))
    return render_template("surveys/settings.html", form=form, survey=None), (
        refused_status(form) if form.errors else 200
    )


@bp.route("/<int:survey_id>/edit")
def edit(survey_id: int):
    survey = managed_survey_or_403(survey_id)
    answered = {q.id for q in survey.questions if surveys.question_has_answers(q.id)}
    return render_template(
        "surveys/edit.html",
        survey=survey,
        action_form=ActionForm(),
        problems=surveys.publish_problems(survey),
        answered=answered,
        kind_labels=KIND_LABELS,
    )


@bp.route("/<int:survey_id>/settings", methods=["GET", "POST"])
def settings(survey_id: int):
    survey = managed_survey_or_403(survey_id)
    form = _survey_form(survey)
    if form.validate_on_submit():
        before = {"title": survey.title, "state": survey.state.value}
        _apply_survey_form(form, survey)
        record(current_user, "survey.edit", f"survey:{survey.id}", before, {"title": survey.title})
        db.session.commit()
        flash(_("The survey was saved."), "success")
        return redirect(url_for("surveys.edit", survey_id=survey.id))
    return render_template("surveys/settings.html", form=form, survey=survey), (
        refused_status(form) if form.errors else 200
    )


def _section_of(survey: Survey, section_id: int) -> SurveySection:
    section = db.session.get(SurveySection, section_id)
    if section is None or section.survey_id != survey.id:
        abort(404)
    return section


def _question_of(survey: Survey, question_id: int) -> Question:
    question = db.session.get(Question, question_id)
    if question is None or question.survey_id != survey.id:
        abort(404)
    return question


def _option_of(survey: Survey, option_id: int) -> QuestionOption:
    option = db.session.get(QuestionOption, option_id)
    if option is None or option.question.survey_id != survey.id:
        abort(404)
    return option


@bp.route("/<int:survey_id>/sections/new", methods=["GET", "POST"])
@bp.route("/<int:survey_id>/sections/<int:section_id>", methods=["GET", "POST"])
def section(survey_id: int, section_id: int | None = None):
    survey = managed_survey_or_403(survey_id)
    item = _section_of(survey, section_id) if section_id else None
    form = SectionForm(obj=item)
    if form.validate_on_submit():
        texts = {name: _clean(getattr(form, name).data) for name in SECTION_TEXTS}
        if item is None:
            surveys.add_section(survey, **texts)
        else:
            for name, value in texts.items():
                setattr(item, name, value)
        db.session.commit()
        flash(_("The section was saved."), "success")
        return redirect(url_for("surveys.edit", survey_id=survey.id))
    return render_template("surveys/section.html", form=form, survey=survey, section=item), (
        refused_status(form) if form.errors else 200
    )


@bp.route("/<int:survey_id>/sections/<int:section_id>/questions/new", methods=["GET", "POST"])
def question_new(survey_id: int, section_id: int):
    survey = managed_survey_or_403(survey_id)
    parent = _section_of(survey, section_id)
    form = QuestionForm()
    if request.method == "GET" and request.args.get("kind") in {k.value for k in QuestionKind}:
        form.kind.data = request.args["kind"]
    if form.validate_on_submit():
        fields = {name: _clean(getattr(form, name).data) for name in QUESTION_FIELDS}
        question = surveys.add_question(parent, kind=QuestionKind(form.kind.data), **fields)
        db.session.commit()
        flash(_("The question was added."), "success")
        if question.kind in OPTION_KINDS:
            flash(_("Now add the options people can choose from."), "info")
            return redirect(
                url_for("surveys.question_edit", survey_id=survey.id, question_id=question.id)
            )
        return redirect(
            url_for("surveys.edit", survey_id=survey.id, _anchor=f"question-{question.id}")
        )
    return render_template(
        "surveys/question.html", form=form, survey=survey, section=parent, question=None
    ), (refused_status(form) if form.errors else 200)


@bp.route("/<int:survey_id>/questions/<int:question_id>", methods=["GET", "POST"])
def question_edit(survey_id: int, question_id: int):
    survey = managed_survey_or_403(survey_id)
    question = _question_of(survey, question_id)
    has_answers = surveys.question_has_answers(question.id)
    form = QuestionForm(obj=question)
    if request.method == "GET":
        form.kind.data = question.kind.value
    if form.validate_on_submit():
        if has_answers and form.kind.data != question.kind.value:
            form.kind.errors.append(
                _("This question has answers: its kind cannot change, only its wording.")
            )
        else:
            question.kind = QuestionKind(form.kind.data)
            for name in QUESTION_FIELDS:
                setattr(question, name, _clean(getattr(form, name).data))
            db.session.commit()
            flash(_("The question was saved."), "success")
            return redirect(
                url_for("surveys.edit", survey_id=survey.id, _anchor=f"question-{question.id}")
            )
    return render_template(
        "surveys/question.html",
        form=form,
        survey=survey,
        section=question.section,
        question=question,
        has_answers=has_answers,
        option_form=OptionForm(formdata=None),
        action_form=ActionForm(),
    ), (refused_status(form) if form.errors else 200)


@bp.route("/<int:survey_id>/questions/<int:question_id>/options", methods=["POST"])
@bp.route("/<int:survey_id>/options/<int:option_id>", methods=["POST"])
def option(survey_id: int, question_id: int | None = None, option_id: int | None = None):
    survey = managed_survey_or_403(survey_id)
    item = _option_of(survey, option_id) if option_id else None
    question = item.question if item else _question_of(survey, question_id)
    form = OptionForm()
    if form.validate_on_submit():
        label, label_en = form.label.data.strip(), _clean(form.label_en.data)
        if item is None:
            surveys.add_option(question, label, label_en)
        else:
            item.label, item.label_en = label, label_en
        db.session.commit()
        flash(_("The option was saved."), "success")
        return redirect(
            url_for(
                "surveys.question_edit",
                survey_id=survey.id,
                question_id=question.id,
                _anchor="options",
            )
        )
    return render_template(
        "surveys/question.html",
        form=QuestionForm(obj=question, formdata=None),
        survey=survey,
        section=question.section,
        question=question,
        has_answers=surveys.question_has_answers(question.id),
        option_form=form,
        editing_option=item,
        action_form=ActionForm(),
    ), refused_status(form)


def _item(survey: Survey, kind: str, item_id: int):
    if kind == "section":
        item = _section_of(survey, item_id)
        return item, survey.sections
    if kind == "question":
        item = _question_of(survey, item_id)
        return item, item.section.questions
    if kind == "option":
        item = _option_of(survey, item_id)
        return item, item.question.options
    abort(404)


def _back(survey: Survey, item):
    if isinstance(item, QuestionOption):
        return redirect(
            url_for(
                "surveys.question_edit",
                survey_id=survey.id,
                question_id=item.question_id,
                _anchor="options",
            )
        )
    return redirect(url_for("surveys.edit", survey_id=survey.id))


@bp.route(
    "/<int:survey_id>/<any(section,question,option):kind>/<int:item_id>/move", methods=["POST"]
)
def move(survey_id: int, kind: str, item_id: int):
    survey = managed_survey_or_403(survey_id)
    item, siblings = _item(survey, kind, item_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    direction = "up" if request.form.get("direction") == "up" else "down"
    surveys.move(list(siblings), item, direction)
    db.session.commit()
    return _back(survey, item)


@bp.route(
    "/<int:survey_id>/<any(section,question,option):kind>/<int:item_id>/delete", methods=["POST"]
)
def delete(survey_id: int, kind: str, item_id: int):
    survey = managed_survey_or_403(survey_id)
    item, siblings = _item(survey, kind, item_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    refusal = surveys.delete_refusal(item)
    if refusal:
        flash(refusal, "error")
        return _back(survey, item)
    back = _back(survey, item)
    record(current_user, f"survey.delete_{kind}", f"survey:{survey.id}", before={"id": item.id})
    db.session.delete(item)
    db.session.flush()
    remaining = [s for s in siblings if s is not item]
    for position, sibling in enumerate(remaining):
        sibling.position = position
    db.session.commit()
    flash(_("Deleted."), "success")
    return back


@bp.route("/<int:survey_id>/publish", methods=["POST"])
def publish(survey_id: int):
    survey = managed_survey_or_403(survey_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    problems = surveys.publish(survey)
    if problems:
        db.session.rollback()
        for problem in problems:
            flash(problem, "error")
        flash(_("The survey was not published."), "error")
        return redirect(url_for("surveys.edit", survey_id=survey.id))
    record(current_user, "survey.publish", f"survey:{survey.id}")
    db.session.commit()
    flash(_("The survey is published. Share its link or print it."), "success")
    return redirect(url_for("surveys.edit", survey_id=survey.id))


@bp.route("/<int:survey_id>/close", methods=["POST"])
def close(survey_id: int):
    survey = managed_survey_or_403(survey_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if survey.state == SurveyState.OPEN:
        surveys.close(survey)
        record(current_user, "survey.close", f"survey:{survey.id}")
        db.session.commit()
        flash(_("The survey is closed: no more answers are accepted."), "success")
    return redirect(url_for("surveys.edit", survey_id=survey.id))


@bp.route("/<int:survey_id>/duplicate", methods=["POST"])
def duplicate(survey_id: int):
    survey = managed_survey_or_403(survey_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    copy = surveys.duplicate(survey, current_user)
    record(current_user, "survey.duplicate", f"survey:{survey.id}", after={"copy": copy.id})
    db.session.commit()
    flash(_("This is a copy of the survey, as a draft."), "success")
    return redirect(url_for("surveys.edit", survey_id=copy.id))
