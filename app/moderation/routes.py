"""Reporting (any signed-in user) and the moderation queue and actions (staff)."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.accounts.models import Role, User
from app.core.auth import role_required
from app.extensions import db
from app.i18n import _
from app.ideas.models import Comment, Idea
from app.moderation import bp, queries
from app.moderation import services as moderation
from app.moderation.forms import REASON_LABELS, ConfirmForm, ReasonForm, ReportForm
from app.moderation.models import ReportKind, ReportReason

KINDS = {kind.value for kind in ReportKind}


def _target_or_404(kind: str, target_id: int) -> Idea | Comment:
    if kind not in KINDS:
        abort(404)
    target = moderation.get_target(kind, target_id)
    if target is None:
        abort(404)
    return target


def _publicly_visible(target: Idea | Comment) -> bool:
    if isinstance(target, Idea):
        return target.is_public
    return target.hidden_at is None and not target.awaiting_approval and target.idea.is_public


def _back_to(target: Idea | Comment) -> str:
    idea = moderation.target_idea(target)
    if "ideas.show" in current_app.view_functions:
        return url_for("ideas.show", idea_id=idea.id)
    return url_for("main.index")


# --- reporting -------------------------------------------------------------------------


@bp.route("/report/<kind>/<int:target_id>", methods=["GET", "POST"])
@login_required
def report(kind: str, target_id: int):
    target = _target_or_404(kind, target_id)
    if not _publicly_visible(target):
        abort(404)
    form = ReportForm()
    if form.validate_on_submit():
        try:
            moderation.file_report(
                current_user, target, ReportReason(form.reason.data), form.details.data
            )
        except moderation.ReportLimitReached:
            db.session.rollback()
            flash(_("You have sent many reports recently. Please try again later."), "error")
            return render_template(
                "moderation/report.html", form=form, target=target, kind=kind
            ), 429
        db.session.commit()
        flash(_("Thank you. A moderator will look at it."), "success")
        return redirect(_back_to(target))
    status = 422 if form.errors else 200
    return render_template("moderation/report.html", form=form, target=target, kind=kind), status


# --- the queue -------------------------------------------------------------------------


@bp.route("/")
@role_required(Role.STAFF)
def index():
    page = max(request.args.get("page", 1, type=int), 1)
    reported, reported_total = queries.reported_page(page)
    ideas, ideas_total = queries.awaiting_ideas()
    comments, comments_total = queries.awaiting_comments()
    pages = max((reported_total + queries.PAGE_SIZE - 1) // queries.PAGE_SIZE, 1)
    return render_template(
        "moderation/queue.html",
        reported=reported,
        reported_total=reported_total,
        page=page,
        pages=pages,
        awaiting_ideas=ideas,
        ideas_total=ideas_total,
        awaiting_comments=comments,
        comments_total=comments_total,
        reason_labels={r.value: label for r, label in REASON_LABELS.items()},
        confirm_form=ConfirmForm(),
    )


def _render_target(target, kind, reason_form=None, status=200):
    return (
        render_template(
            "moderation/target.html",
            target=target,
            kind=kind,
            idea=moderation.target_idea(target),
            reports=queries.reports_for(target),
            reason_form=reason_form or ReasonForm(),
            confirm_form=ConfirmForm(),
            reason_labels={r.value: label for r, label in REASON_LABELS.items()},
        ),
        status,
    )


@bp.route("/<kind>/<int:target_id>")
@role_required(Role.STAFF)
def target(kind: str, target_id: int):
    return _render_target(_target_or_404(kind, target_id), kind)


def _act_with_reason(kind: str, target_id: int, action, done_message: str):
    """Hide or restore: both need a reason, tell the author and go back to the item."""
    item = _target_or_404(kind, target_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        return _render_target(item, kind, form, status=422)
    if action(current_user, item, form.reason.data):
        db.session.commit()
        flash(done_message, "success")
    return redirect(url_for("moderation.target", kind=kind, target_id=target_id))


@bp.route("/<kind>/<int:target_id>/hide", methods=["POST"])
@role_required(Role.STAFF)
def hide(kind: str, target_id: int):
    return _act_with_reason(
        kind, target_id, moderation.hide, _("Hidden. The author has been told why.")
    )


@bp.route("/<kind>/<int:target_id>/restore", methods=["POST"])
@role_required(Role.STAFF)
def restore(kind: str, target_id: int):
    return _act_with_reason(
        kind, target_id, moderation.restore, _("Restored. The author has been told.")
    )


@bp.route("/<kind>/<int:target_id>/approve", methods=["POST"])
@role_required(Role.STAFF)
def approve(kind: str, target_id: int):
    item = _target_or_404(kind, target_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if moderation.approve(current_user, item):
        db.session.commit()
        flash(_("Approved: everyone can see it now."), "success")
    if request.form.get("next") == "queue":
        return redirect(url_for("moderation.index"))
    return redirect(url_for("moderation.target", kind=kind, target_id=target_id))


@bp.route("/<kind>/<int:target_id>/dismiss", methods=["POST"])
@role_required(Role.STAFF)
def dismiss(kind: str, target_id: int):
    item = _target_or_404(kind, target_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if moderation.dismiss_reports(current_user, item):
        db.session.commit()
        flash(_("The reports are closed; the content stays visible."), "success")
    return redirect(url_for("moderation.target", kind=kind, target_id=target_id))


# --- accounts --------------------------------------------------------------------------


def _render_user(user, form=None, status=200):
    return (
        render_template(
            "moderation/user.html",
            user=user,
            counts=queries.contribution_counts(user),
            form=form or ReasonForm(),
            can_suspend=moderation.can_suspend(current_user, user),
        ),
        status,
    )


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/users/<int:user_id>")
@role_required(Role.STAFF)
def user(user_id: int):
    return _render_user(_user_or_404(user_id))


@bp.route("/users/<int:user_id>/suspend", methods=["POST"])
@role_required(Role.STAFF)
def suspend(user_id: int):
    account = _user_or_404(user_id)
    if not moderation.can_suspend(current_user, account):
        abort(403)
    form = ReasonForm()
    if not form.validate_on_submit():
        return _render_user(account, form, 422)
    if moderation.suspend(current_user, account, form.reason.data):
        db.session.commit()
        flash(_("The account is suspended and its ideas and comments are hidden."), "success")
    return redirect(url_for("moderation.user", user_id=user_id))


@bp.route("/users/<int:user_id>/lift", methods=["POST"])
@role_required(Role.STAFF)
def lift(user_id: int):
    account = _user_or_404(user_id)
    if not moderation.can_suspend(current_user, account):
        abort(403)
    form = ReasonForm()
    if not form.validate_on_submit():
        return _render_user(account, form, 422)
    if moderation.lift_suspension(current_user, account, form.reason.data):
        db.session.commit()
        flash(_("The suspension is lifted and the content it hid is visible again."), "success")
    return redirect(url_for("moderation.user", user_id=user_id))
