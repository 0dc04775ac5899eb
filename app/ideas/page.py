"""The idea page and what residents do there: support, follow, comment; and its photos."""

import re
import secrets

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from markupsafe import Markup, escape

from app.core.auth import public
from app.core.security import csp_nonce, is_safe_next
from app.core.uploads import SIZES, image_path
from app.extensions import db, limiter
from app.i18n import _, localized
from app.ideas import bp, services
from app.ideas import idea_queries as queries
from app.ideas.forms import ActionForm, CommentForm
from app.ideas.models import Comment, IdeaChannel
from app.ideas.status import status_label
from app.maps.idea_pin import idea_location_map
from app.maps.render import render_map

_URL = re.compile(r"\bhttps?://[^\s<>\"']+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'"
_STEM = re.compile(r"^[0-9a-f]{32}$")
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


@bp.app_template_filter("linkify_ugc")
def linkify_ugc(value: str | None) -> Markup:
    """Escape user text first, then turn http(s) links into nofollow links."""
    escaped = str(escape(value or ""))

    def link(match: re.Match) -> str:
        url = match.group(0)
        trail = ""
        while url and url[-1] in _TRAILING:
            trail = url[-1] + trail
            url = url[:-1]
        # An escaped entity (&amp; &#39;) split by the trimming above is put back together.
        entity = re.search(r"&[#\w]*$", url)
        if entity:
            trail = url[entity.start() :] + trail
            url = url[: entity.start()]
        return f'<a href="{url}" rel="nofollow ugc noopener" target="_blank">{url}</a>{trail}'

    return Markup(_URL.sub(link, escaped))  # noqa: S704 - built from escaped text


def author_label(idea) -> str:
    """ "A resident of <unit>" for anonymous authors, otherwise the display name."""
    unit = localized(idea.territory.name, idea.territory.name_en) if idea.territory else None
    if idea.author_anonymous or idea.author is None:
        if unit:
            return _("A resident of %(unit)s", unit=unit)
        return _("A resident")
    return idea.author.public_name


def recorded_by_label(idea) -> str | None:
    """Who typed in an idea collected at a workshop or on paper, and where it came from."""
    if idea.channel not in services.RECORDED_CHANNELS:
        return None
    how = (
        _("Collected at a workshop or meeting")
        if idea.channel == IdeaChannel.WORKSHOP
        else _("Collected on paper")
    )
    parts = [how]
    if idea.collected_note:
        parts.append(idea.collected_note)
    if idea.entered_by is not None and not idea.entered_by.is_deleted:
        parts.append(_("recorded by %(name)s", name=idea.entered_by.public_name))
    return " · ".join(parts)


def _visible_idea_or_404(idea_id: int):
    idea = queries.get_idea(idea_id)
    if idea is None or not queries.can_see(idea, current_user):
        abort(404)
    return idea


def _back_to(idea_id: int, anchor: str = ""):
    target = request.form.get("next")
    if is_safe_next(target):
        return redirect(target)
    return redirect(url_for("ideas.show", idea_id=idea_id, _anchor=anchor or None))


def _require_confirmed():
    if not current_user.is_confirmed:
        flash(_("Please confirm your e-mail address first: open the link we sent you."), "error")
        return True
    return False


@bp.route("/<int:idea_id>")
@public
def show(idea_id: int, comment_form: CommentForm | None = None, status: int = 200):
    idea = _visible_idea_or_404(idea_id)
    signed_in = current_user.is_authenticated
    page = request.args.get("comments", 1, type=int)
    comments, comment_pages = queries.comments_page(idea.id, current_user, page)
    if comment_form is None:
        comment_form = CommentForm()
        comment_form.submission_token.data = secrets.token_urlsafe(24)
    rendered_map = None
    if not idea.location_approximate:
        lat, lon = queries.idea_point(idea.id)
        rendered_map = render_map(
            idea_location_map(
                lat,
                lon,
                idea.title,
                current_app.config["TILE_URL"],
                current_app.config["TILE_ATTRIBUTION"],
            ),
            csp_nonce(),
        )
    photos = queries.photos_of(idea.id)
    return (
        render_template(
            "ideas/show.html",
            idea=idea,
            author=author_label(idea),
            recorded_by=recorded_by_label(idea),
            status_label=status_label,
            history=queries.status_history(idea.id),
            photos=photos,
            rendered_map=rendered_map,
            comments=comments,
            comment_page=page,
            comment_pages=comment_pages,
            comment_form=comment_form,
            action_form=ActionForm(),
            supported=signed_in and queries.has_supported(current_user, idea.id),
            following=signed_in and queries.is_following(current_user, idea.id),
            can_edit=services.idea_editable_by(idea, current_user),
            comment_editable=lambda c: services.comment_editable_by(c, current_user),
            share_url=url_for("ideas.show", idea_id=idea.id, _external=True),
            og_image=(
                url_for("ideas.media", stem=photos[0].stem, size=1200, _external=True)
                if photos and idea.is_public
                else None
            ),
        ),
        status,
    )


def _acting_on_public_idea(idea_id: int):
    """Supports, follows and comments are for public ideas only."""
    idea = queries.get_idea(idea_id)
    if idea is None or not idea.is_public:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    return idea


def _account_key() -> str:
    """Per account, so residents behind one village router do not share a limit."""
    return f"user:{current_user.get_id()}" if current_user.is_authenticated else "anon"


@bp.route("/<int:idea_id>/support", methods=["POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_SUPPORT"], key_func=_account_key)
def support(idea_id: int):
    idea = _acting_on_public_idea(idea_id)
    if _require_confirmed():
        return _back_to(idea.id)
    if request.form.get("action") == "withdraw":
        services.withdraw_support(current_user, idea)
        message = _("Your support is withdrawn.")
    else:
        services.support_idea(current_user, idea)
        message = _("Thank you for your support!")
    db.session.commit()
    flash(message, "success")
    return _back_to(idea.id, "support")


@bp.route("/<int:idea_id>/follow", methods=["POST"])
def follow(idea_id: int):
    idea = _acting_on_public_idea(idea_id)
    if request.form.get("action") == "unfollow":
        services.unfollow_idea(current_user, idea)
        message = _("You no longer follow this idea.")
    else:
        services.follow_idea(current_user, idea)
        message = _("You follow this idea: we will tell you when it changes.")
    db.session.commit()
    flash(message, "success")
    return _back_to(idea.id, "support")


@bp.route("/<int:idea_id>/comments", methods=["POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_COMMENT"], key_func=_account_key)
def comment(idea_id: int):
    idea = queries.get_idea(idea_id)
    if idea is None or not idea.is_public:
        abort(404)
    form = CommentForm()
    if _require_confirmed():
        return _back_to(idea.id, "comments")
    if not form.validate_on_submit():
        return show(idea_id, comment_form=form, status=422)
    token = form.submission_token.data or ""
    token = token if _TOKEN.match(token) else None
    added = services.add_comment(idea, current_user, form.body.data, token)
    db.session.commit()
    return redirect(url_for("ideas.show", idea_id=idea.id, _anchor=f"comment-{added.id}"))


@bp.route("/<int:idea_id>/comments/<int:comment_id>/edit", methods=["GET", "POST"])
def edit_comment(idea_id: int, comment_id: int):
    idea = _visible_idea_or_404(idea_id)
    found = db.session.get(Comment, comment_id)
    if found is None or found.idea_id != idea.id or found.hidden_at is not None:
        abort(404)
    if not services.comment_editable_by(found, current_user):
        flash(_("A comment can only be changed by its author within 15 minutes."), "error")
        return redirect(url_for("ideas.show", idea_id=idea.id, _anchor=f"comment-{found.id}"))
    form = CommentForm(obj=found if request.method == "GET" else None)
    if form.validate_on_submit():
        services.edit_comment(found, current_user, form.body.data)
        db.session.commit()
        flash(_("Your comment is changed."), "success")
        return redirect(url_for("ideas.show", idea_id=idea.id, _anchor=f"comment-{found.id}"))
    status = 422 if form.errors else 200
    return render_template("ideas/comment_edit.html", form=form, idea=idea, comment=found), status


def _serve_photo(stem: str, size: int):
    if not _STEM.match(stem) or size not in SIZES:
        abort(404)
    found = queries.public_photo(stem)
    if found is None:
        abort(404)
    _photo, idea = found
    if not idea.is_public and not queries.can_see(idea, current_user):
        abort(404)
    path = image_path(stem, size)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype="image/jpeg", conditional=True, etag=True)
    if idea.is_public:
        # Random names never change content: cache for a year.
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    else:
        response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.record_once
def _register_media_route(state) -> None:
    """Photos have no language: /media/<stem>-<size>.jpg, endpoint ideas.media."""
    view = public(_serve_photo)
    state.app.add_url_rule("/media/<stem>-<int:size>.jpg", endpoint="ideas.media", view_func=view)
