"""Leaders and clerks type in ideas collected at workshops or on paper, one after another."""

import secrets

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.accounts.models import Role
from app.core.auth import role_required
from app.extensions import db, limiter
from app.i18n import _
from app.ideas import bp, services
from app.ideas import idea_queries as queries
from app.ideas.forms import RecordedIdeaForm
from app.ideas.models import IdeaChannel
from app.ideas.routes import TOKEN_PATTERN, apply_errors, fill_choices, idea_data, pin_map
from app.ideas.status import status_label
from app.territories.queries import territory_choices


def _record_limit() -> str:
    return current_app.config["RATELIMIT_IDEA_RECORD"]


def _recorder_key() -> str:
    return f"idea-record:{current_user.id}"


def _saved(response) -> bool:
    return response.status_code in (302, 303)


def _fill_recorder_choices(form: RecordedIdeaForm) -> None:
    """Every category; as units, only those the recorder may record for."""
    fill_choices(form)
    if not current_user.is_staff:
        led = {unit.id for unit in current_user.leader_of}
        form.territory.choices = [form.territory.choices[0]] + [
            (unit_id, name) for unit_id, name in territory_choices() if unit_id in led
        ]


def _render(form: RecordedIdeaForm, status: int = 200):
    page = render_template(
        "ideas/record.html",
        form=form,
        rendered_map=pin_map(),
        recent=queries.recently_recorded_by(current_user),
        status_label=status_label,
    )
    return page, status


@bp.route("/record", methods=["GET", "POST"])
@role_required(Role.LEADER)
@limiter.limit(_record_limit, methods=["POST"], key_func=_recorder_key, deduct_when=_saved)
def record():
    form = RecordedIdeaForm()
    _fill_recorder_choices(form)
    if request.method == "GET":
        form.submission_token.data = secrets.token_urlsafe(24)
        # The next idea of the same workshop: keep how and where it was collected.
        form.channel.data = request.args.get("channel", "workshop")
        form.collected_note.data = request.args.get("note", "")[:200]
        return _render(form)

    fields_ok = form.validate()
    if not TOKEN_PATTERN.match(form.submission_token.data or ""):
        form.submission_token.data = secrets.token_urlsafe(24)
    if "csrf_token" in form.errors:
        return _render(form, 400)
    data, place_errors = idea_data(form)
    data.channel = IdeaChannel(form.channel.data if fields_ok else IdeaChannel.WORKSHOP)
    data.collected_note = form.collected_note.data
    data.submission_token = form.submission_token.data
    errors = services.validate_recorded_idea(data, current_user)
    if apply_errors(form, errors, place_errors) or not fields_ok:
        return _render(form, 422)
    try:
        idea = services.record_idea(data, current_user)
        idea_id = idea.id
        db.session.commit()
    except IntegrityError:
        # The same form posted twice at once: the first request saved it.
        db.session.rollback()
        existing = queries.idea_by_token(data.submission_token)
        if existing is None:
            raise
        idea_id = existing.id
    flash(
        _("Idea no. %(number)d is recorded. You can type in the next one.", number=idea_id),
        "success",
    )
    return redirect(
        url_for("ideas.record", channel=data.channel.value, note=data.collected_note or None)
    )
