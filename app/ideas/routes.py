"""Submitting an idea (with the similar-ideas step), and the author's edit and withdrawal."""

import re
import secrets

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.categories.models import Category
from app.core.auth import public
from app.core.geo import parse_coordinate
from app.core.security import csp_nonce
from app.core.uploads import ImageRejected, store_image
from app.extensions import db, limiter
from app.i18n import _, _l, localized
from app.ideas import bp, services
from app.ideas import idea_queries as queries
from app.ideas.forms import MAX_PHOTOS, ActionForm, IdeaEditForm, IdeaForm
from app.ideas.services import NewIdea, PhotoUpload
from app.ideas.status import status_label
from app.maps.idea_pin import pin_picker_map
from app.maps.render import render_map
from app.territories import queries as territory_queries

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")

COORDINATES_NOT_NUMBERS = _l("The coordinates must be numbers, such as 57.08 and 27.26.")
DESCRIBE_PLACE = _l("Please describe the place, so that the municipality can find it.")
PHOTO_ALT_REQUIRED = _l("Please say in a few words what the photo shows.")


def _submit_limit() -> str:
    return current_app.config["RATELIMIT_IDEA_SUBMIT"]


def _submitter_key() -> str:
    if current_user.is_authenticated:
        return f"idea-submit:{current_user.id}"
    return f"idea-submit:{request.remote_addr}"


def _counts_against_limit(response) -> bool:
    """An idea saved, or photos stored on disk: both cost; a form sent back with errors not."""
    return response.status_code in (302, 303) or bool(g.get("idea_photos_stored"))


# --- helpers shared by the new and the edit form -----------------------------------------


def fill_choices(form) -> None:
    categories = db.session.execute(
        select(Category.id, Category.name, Category.name_en)
        .where(Category.active.is_(True))
        .order_by(Category.position, Category.id)
    )
    form.category.choices = [("", _("Choose a category"))] + [
        (row.id, localized(row.name, row.name_en)) for row in categories
    ]
    form.territory.choices = [
        ("", _("Choose the territorial unit")),
        *territory_queries.territory_choices(),
    ]


def pin_map():
    fmap = pin_picker_map(
        territory_queries.territories_geojson(lang=g.lang, simplify=0.0005),
        territory_queries.territories_bounds(),
        current_app.config["TILE_URL"],
        current_app.config["TILE_ATTRIBUTION"],
    )
    return render_map(fmap, csp_nonce())


def idea_data(form) -> tuple[NewIdea, dict]:
    """The form as a NewIdea, plus the place errors that only the form can see."""
    errors: dict = {}
    raw_lat, raw_lon = (form.lat.data or "").strip(), (form.lon.data or "").strip()
    lat, lon = parse_coordinate(raw_lat), parse_coordinate(raw_lon)
    if (raw_lat and lat is None) or (raw_lon and lon is None):
        errors["lat"] = str(COORDINATES_NOT_NUMBERS)
    if lat is None or lon is None:
        lat = lon = None
        if form.territory.data and not (form.place_description.data or "").strip():
            errors["place_description"] = str(DESCRIBE_PLACE)
    data = NewIdea(
        title=form.title.data or "",
        description=form.description.data or "",
        category_id=form.category.data,
        lat=lat,
        lon=lon,
        territory_id=None if lat is not None else form.territory.data,
        place_description=form.place_description.data,
        author_anonymous=bool(getattr(form, "anonymous", None) and form.anonymous.data),
    )
    return data, errors


def apply_errors(form, errors: dict, place_errors: dict) -> bool:
    """Put service and form errors next to their fields; True when there were any."""
    typed_pin = bool((form.lat.data or "").strip() or (form.lon.data or "").strip())
    targets = {
        "title": form.title,
        "description": form.description,
        "category": form.category,
        "location": form.lat if typed_pin else form.territory,
    }
    for key, message in errors.items():
        if not targets[key].errors:  # "required" already said it
            targets[key].errors = [*targets[key].errors, message]
    for key, message in place_errors.items():
        field = form[key]
        if message not in field.errors:
            field.errors = [*field.errors, message]
    return bool(errors or place_errors)


# --- photos carried between the steps -----------------------------------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="kopa-idea-photos")


def _load_kept(value: str | None, token: str) -> dict[int, dict]:
    """Photos stored on an earlier step of this very submission, by slot (1…3)."""
    if not value:
        return {}
    try:
        payload = _serializer().loads(value)
    except BadSignature:
        return {}
    if payload.get("t") != token or payload.get("u") != current_user.id:
        return {}
    return {int(slot): photo for slot, photo in payload.get("p", {}).items()}


def _dump_kept(kept: dict[int, dict], token: str) -> str:
    if not kept:
        return ""
    return _serializer().dumps({"t": token, "u": current_user.id, "p": kept})


def _collect_photos(form, kept: dict[int, dict]) -> tuple[dict[int, dict], bool]:
    """Store new uploads in free slots; (photos by slot, whether all was fine)."""
    ok = True
    for slot in range(1, MAX_PHOTOS + 1):
        if request.form.get(f"remove_{slot}") and slot in kept:
            kept.pop(slot)
        upload = form[f"photo_{slot}"].data
        if slot in kept or not upload or not getattr(upload, "filename", ""):
            continue
        try:
            stored = store_image(upload)
        except ImageRejected as rejected:
            form[f"photo_{slot}"].errors = [str(rejected.message)]
            ok = False
            continue
        g.idea_photos_stored = True
        kept[slot] = {
            "stem": stored.stem,
            "w": stored.width,
            "h": stored.height,
            "name": (upload.filename or "")[-80:],
        }
    for slot in kept:
        if not (form[f"alt_{slot}"].data or "").strip():
            form[f"alt_{slot}"].errors = [*form[f"alt_{slot}"].errors, str(PHOTO_ALT_REQUIRED)]
            ok = False
    return kept, ok


def _render_form(form, kept: dict[int, dict], status: int = 200):
    form.kept_photos.data = _dump_kept(kept, form.submission_token.data)
    return (
        render_template(
            "ideas/new.html", form=form, kept=kept, rendered_map=pin_map(), max_photos=MAX_PHOTOS
        ),
        status,
    )


# --- submitting ---------------------------------------------------------------------------


@bp.route("/new", methods=["GET", "POST"])
@public
@limiter.limit(
    _submit_limit, methods=["POST"], key_func=_submitter_key, deduct_when=_counts_against_limit
)
def create():
    if not current_user.is_authenticated or not current_user.is_confirmed:
        # Explain what is needed instead of a bare refusal.
        return render_template("ideas/need_account.html"), 403
    form = IdeaForm()
    fill_choices(form)
    if request.method == "GET":
        form.submission_token.data = secrets.token_urlsafe(24)
        return _render_form(form, {})

    fields_ok = form.validate()
    if not TOKEN_PATTERN.match(form.submission_token.data or ""):
        form.submission_token.data = secrets.token_urlsafe(24)
    token = form.submission_token.data
    existing = queries.idea_by_token(token)
    if existing is not None and existing.author_id == current_user.id:
        return redirect(url_for("ideas.show", idea_id=existing.id))
    if "csrf_token" in form.errors:
        return _render_form(form, {}, 400)

    kept, photos_ok = _collect_photos(form, _load_kept(form.kept_photos.data, token))
    if form.step.data == "edit":  # back from the similar-ideas step to change something
        form.step.data = "check"
        return _render_form(form, kept)
    data, place_errors = idea_data(form)
    data.submission_token = token
    has_errors = apply_errors(form, services.validate_new_idea(data), place_errors)
    if has_errors or not fields_ok or not photos_ok:
        return _render_form(form, kept, 422)

    if form.step.data != "confirm":
        similar = queries.similar_ideas(data.title, data.lon, data.lat)
        if similar:
            form.kept_photos.data = _dump_kept(kept, token)
            return render_template(
                "ideas/similar.html",
                form=form,
                kept=kept,
                similar=similar,
                status_label=status_label,
                action_form=ActionForm(),
            )
    return _save(form, data, kept)


def _save(form, data: NewIdea, kept: dict[int, dict]):
    photos = [
        PhotoUpload(
            stem=kept[slot]["stem"],
            width=kept[slot]["w"],
            height=kept[slot]["h"],
            alt_text=form[f"alt_{slot}"].data,
        )
        for slot in sorted(kept)
    ]
    try:
        idea = services.create_idea(data, author=current_user)
        services.attach_photos(idea, photos, current_user)
        services.follow_idea(current_user, idea)
        idea_id, waiting = idea.id, idea.awaiting_approval
        db.session.commit()
    except IntegrityError:
        # The same form posted twice at once: the first request saved it.
        db.session.rollback()
        existing = queries.idea_by_token(data.submission_token)
        if existing is None:
            raise
        idea_id, waiting = existing.id, existing.awaiting_approval
    if waiting:
        flash(_("Thank you! Your idea will be published once a moderator has seen it."), "info")
    else:
        flash(
            _("Thank you! Your idea is published. You will hear from us when it is answered."),
            "success",
        )
    return redirect(url_for("ideas.show", idea_id=idea_id))


# --- the author's changes -----------------------------------------------------------------


def _own_editable_idea(idea_id: int):
    idea = queries.get_idea(idea_id)
    if idea is None or not queries.can_see(idea, current_user):
        abort(404)
    if not services.idea_editable_by(idea, current_user):
        abort(403)
    return idea


@bp.route("/<int:idea_id>/edit", methods=["GET", "POST"])
def edit(idea_id: int):
    idea = _own_editable_idea(idea_id)
    form = IdeaEditForm(obj=None)
    fill_choices(form)
    if request.method == "GET":
        lat, lon = queries.idea_point(idea.id)
        form.title.data = idea.title
        form.description.data = idea.description
        form.category.data = idea.category_id
        form.place_description.data = idea.place_description
        if idea.location_approximate:
            form.territory.data = idea.territory_id
        else:
            form.lat.data, form.lon.data = f"{lat:.6f}", f"{lon:.6f}"
    else:
        fields_ok = form.validate()
        data, place_errors = idea_data(form)
        has_errors = apply_errors(form, services.validate_new_idea(data), place_errors)
        if fields_ok and not has_errors:
            services.update_idea(idea, data)
            db.session.commit()
            flash(_("Your changes are saved."), "success")
            return redirect(url_for("ideas.show", idea_id=idea.id))
    status = 422 if form.errors else 200
    return render_template("ideas/edit.html", form=form, idea=idea, rendered_map=pin_map()), status


@bp.route("/<int:idea_id>/withdraw", methods=["POST"])
def withdraw(idea_id: int):
    idea = _own_editable_idea(idea_id)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    services.withdraw_idea(idea)
    db.session.commit()
    flash(_("Your idea is withdrawn. Only you can still see it."), "info")
    return redirect(url_for("ideas.show", idea_id=idea.id))
