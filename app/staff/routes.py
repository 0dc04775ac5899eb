"""The staff workspace: queue, idea page with status/answer, comments, photos, programme tasks."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app.accounts.models import Role
from app.categories.models import Category
from app.core.auth import role_required
from app.core.security import csp_nonce
from app.core.uploads import ACCEPT_ATTRIBUTE
from app.extensions import db
from app.i18n import _, localized
from app.ideas.models import Comment, Idea, IdeaStatus
from app.ideas.status import status_label
from app.maps.feedback import PALETTE, legend
from app.maps.participation import participation_choropleth
from app.maps.render import render_map
from app.staff import bp, participation, queries
from app.staff import services as staff
from app.staff.forms import (
    AfterPhotoForm,
    OfficialCommentForm,
    ParticipationFilterForm,
    ProgrammeLinkForm,
    ProgrammeTaskForm,
    QueueFilterForm,
    StatusForm,
)
from app.staff.models import ProgrammeTask
from app.territories.queries import territories_bounds, territory_choices

# The link form shares its field name with the status form: a prefix keeps the ids unique.
LINK_PREFIX = "link"


def _page_number() -> int:
    return request.args.get("page", 1, type=int) or 1


def category_choices() -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(Category.id, Category.name, Category.name_en).order_by(Category.position)
    )
    return [(row.id, localized(row.name, row.name_en)) for row in rows]


@bp.route("/")
@role_required(Role.STAFF)
def index():
    form = QueueFilterForm(request.args)
    form.territory.choices = [("", _("All territorial units")), *territory_choices()]
    form.category.choices = [("", _("All categories")), *category_choices()]
    form.status.choices = [("", _("All open ideas"))] + [
        (status.value, status_label(status)) for status in IdeaStatus
    ]
    status = form.status.data if form.status.data in set(IdeaStatus) else None
    filters = queries.QueueFilters(
        territory_id=form.territory.data,
        category_id=form.category.data,
        status=IdeaStatus(status) if status else None,
    )
    page = queries.staff_queue(filters, _page_number())
    return render_template(
        "staff/index.html",
        form=form,
        page=page,
        age_level=queries.age_level,
        status_label=status_label,
    )


@bp.route("/participation")
@role_required(Role.STAFF)
def participation_dashboard():
    form = ParticipationFilterForm(request.args)
    categories = category_choices()
    form.category.choices = [("", _("All categories")), *categories]
    if form.period.data not in participation.PERIODS:
        form.period.data = participation.DEFAULT_PERIOD
    filters = participation.ParticipationFilters(
        period=form.period.data,
        category_id=form.category.data if form.category.data in dict(categories) else None,
    )
    figures = participation.participation_figures(filters)
    units = figures.units
    labels = {
        unit["id"]: _(
            "%(unit)s: %(count)s contributions",
            unit=localized(unit["name"], unit["name_en"]),
            count=unit["contributions"],
        )
        if unit["heard_from"]
        else _("%(unit)s: not heard from", unit=localized(unit["name"], unit["name_en"]))
        for unit in units
    }
    fmap, highest = participation_choropleth(
        participation.territory_shapes_geojson(),
        {unit["id"]: unit["contributions"] for unit in units},
        labels,
        territories_bounds(),
        current_app.config["TILE_URL"],
        current_app.config["TILE_ATTRIBUTION"],
    )
    months = figures.months
    return render_template(
        "staff/participation.html",
        form=form,
        filters=filters,
        units=units,
        silent=[unit for unit in units if not unit["heard_from"]],
        last_idea_at=figures.last_idea_at,
        by_category=figures.by_category,
        months=months,
        counted_at=figures.counted_at,
        snapshot_minutes=current_app.config["PARTICIPATION_CACHE_SECONDS"] // 60,
        month_peak=max((max(m["ideas"], m["responses"]) for m in months), default=0),
        rendered_map=render_map(fmap, csp_nonce()),
        legend=legend(highest),
        palette=PALETTE,
    )


def _idea_or_404(idea_id: int) -> Idea:
    idea = db.session.get(Idea, idea_id)
    if idea is None:
        abort(404)
    return idea


def _task_choices() -> list[tuple[str | int, str]]:
    return [("", _("No task"))] + [
        (task.id, f"{task.code} · {task.display_title()}") for task in queries.programme_tasks()
    ]


def _render_idea(idea: Idea, status_code: int = 200, **forms):
    status_form = forms.get("status_form") or StatusForm(formdata=None)
    status_form.status.choices = [
        (status.value, status_label(status)) for status in staff.allowed_statuses(idea)
    ]
    status_form.programme_task.choices = _task_choices()
    link_form = forms.get("link_form") or ProgrammeLinkForm(
        formdata=None, prefix=LINK_PREFIX, programme_task=idea.programme_task_id
    )
    link_form.programme_task.choices = _task_choices()
    comments = db.session.scalars(
        select(Comment)
        .where(Comment.idea_id == idea.id)
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(50)
    )
    page = render_template(
        "staff/idea.html",
        idea=idea,
        history=queries.status_history(idea.id),
        comments=list(comments),
        status_form=status_form,
        link_form=link_form,
        comment_form=forms.get("comment_form") or OfficialCommentForm(formdata=None),
        photo_form=forms.get("photo_form") or AfterPhotoForm(formdata=None),
        photo_accept=ACCEPT_ATTRIBUTE,
        status_label=status_label,
    )
    return page, status_code


@bp.route("/ideas/<int:idea_id>")
@role_required(Role.STAFF)
def idea(idea_id: int):
    return _render_idea(_idea_or_404(idea_id))


def _back_to(idea: Idea, anchor: str = ""):
    return redirect(url_for("staff.idea", idea_id=idea.id) + anchor)


def _apply_errors(form, errors: dict[str, str]) -> None:
    """Show a service's refusals next to the form's fields (each field is named alike)."""
    for name, message in errors.items():
        field = form[name]
        if message not in field.errors:
            field.errors = [*list(field.errors), message]


@bp.route("/ideas/<int:idea_id>/status", methods=["POST"])
@role_required(Role.STAFF)
def change_status(idea_id: int):
    idea = _idea_or_404(idea_id)
    form = StatusForm()
    if form.validate_on_submit():
        duplicate_of = None
        if form.duplicate_of.data:
            duplicate_of = db.session.get(Idea, form.duplicate_of.data)
        task = None
        if form.programme_task.data:
            task = db.session.get(ProgrammeTask, form.programme_task.data)
        try:
            new_status = IdeaStatus(form.status.data)
        except ValueError:
            form.status.errors = [_("Please choose the new status.")]
        else:
            if form.duplicate_of.data and duplicate_of is None:
                form.duplicate_of.errors = [_("There is no idea with this number.")]
            else:
                try:
                    staff.change_status(
                        idea,
                        new_status,
                        form.answer.data,
                        form.answer_en.data,
                        form.internal_note.data,
                        current_user,
                        duplicate_of=duplicate_of,
                        programme_task=task,
                    )
                except staff.StaffActionError as error:
                    db.session.rollback()
                    idea = _idea_or_404(idea_id)
                    _apply_errors(form, error.errors)
                else:
                    db.session.commit()
                    flash(
                        _("The status is now “%(status)s”.", status=status_label(new_status)),
                        "success",
                    )
                    return _back_to(idea)
    return _render_idea(idea, 422, status_form=form)


@bp.route("/ideas/<int:idea_id>/programme-task", methods=["POST"])
@role_required(Role.STAFF)
def link_task(idea_id: int):
    idea = _idea_or_404(idea_id)
    form = ProgrammeLinkForm(prefix=LINK_PREFIX)
    if form.validate_on_submit():
        task = None
        if form.programme_task.data:
            task = db.session.get(ProgrammeTask, form.programme_task.data)
            if task is None:
                form.programme_task.errors = [_("Please choose a task from the list.")]
                return _render_idea(idea, 422, link_form=form)
        staff.link_programme_task(idea, task, current_user)
        db.session.commit()
        flash(_("The link to the development programme is saved."), "success")
        return _back_to(idea)
    return _render_idea(idea, 422, link_form=form)


@bp.route("/ideas/<int:idea_id>/comment", methods=["POST"])
@role_required(Role.STAFF)
def comment(idea_id: int):
    idea = _idea_or_404(idea_id)
    form = OfficialCommentForm()
    if form.validate_on_submit():
        try:
            staff.add_official_comment(idea, form.body.data, current_user)
        except staff.StaffActionError as error:
            _apply_errors(form, error.errors)
        else:
            db.session.commit()
            flash(_("Your official comment is published."), "success")
            return _back_to(idea, "#comments")
    return _render_idea(idea, 422, comment_form=form)


@bp.route("/ideas/<int:idea_id>/photo", methods=["POST"])
@role_required(Role.STAFF)
def after_photo(idea_id: int):
    idea = _idea_or_404(idea_id)
    form = AfterPhotoForm()
    form.validate_on_submit()
    # Past the CSRF check, the service checks the photo and its description together,
    # so one answer names every problem.
    if "csrf_token" not in form.errors:
        try:
            staff.add_after_photo(idea, form.photo.data, form.alt_text.data, current_user)
        except staff.StaffActionError as error:
            db.session.rollback()
            idea = _idea_or_404(idea_id)
            _apply_errors(form, error.errors)
        else:
            db.session.commit()
            flash(_("The photo is added."), "success")
            return _back_to(idea, "#photos")
    return _render_idea(idea, 422, photo_form=form)


@bp.route("/programme-tasks", methods=["GET", "POST"])
@role_required(Role.STAFF)
def tasks():
    form = ProgrammeTaskForm()
    status_code = 200
    if form.validate_on_submit():
        try:
            task = staff.save_programme_task(
                None, form.code.data, form.title.data, form.title_en.data, current_user
            )
        except staff.StaffActionError as error:
            db.session.rollback()
            _apply_errors(form, error.errors)
        else:
            db.session.commit()
            flash(_("The task %(code)s is added.", code=task.code), "success")
            return redirect(url_for("staff.tasks"))
    if form.errors:
        status_code = 422
    page = queries.programme_task_page(_page_number())
    return render_template("staff/tasks.html", form=form, page=page), status_code


def _task_or_404(task_id: int) -> ProgrammeTask:
    task = db.session.get(ProgrammeTask, task_id)
    if task is None:
        abort(404)
    return task


@bp.route("/programme-tasks/<int:task_id>", methods=["GET", "POST"])
@role_required(Role.STAFF)
def edit_task(task_id: int):
    task = _task_or_404(task_id)
    form = ProgrammeTaskForm(obj=task)
    if form.validate_on_submit():
        try:
            staff.save_programme_task(
                task, form.code.data, form.title.data, form.title_en.data, current_user
            )
        except staff.StaffActionError as error:
            db.session.rollback()
            task = _task_or_404(task_id)
            _apply_errors(form, error.errors)
        else:
            db.session.commit()
            flash(_("The task %(code)s is saved.", code=task.code), "success")
            return redirect(url_for("staff.tasks"))
    status_code = 422 if form.errors else 200
    return render_template("staff/task_edit.html", form=form, task=task), status_code


@bp.route("/programme-tasks/<int:task_id>/delete", methods=["POST"])
@role_required(Role.STAFF)
def delete_task(task_id: int):
    task = _task_or_404(task_id)
    code = task.code
    staff.delete_programme_task(task, current_user)
    db.session.commit()
    flash(_("The task %(code)s is deleted.", code=code), "success")
    return redirect(url_for("staff.tasks"))
