"""Writes for ideas. Services flush; the view (or CLI) commits once."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.core.geo import inside_municipality, point_sql
from app.core.text import has_invisible_characters
from app.core.uploads import delete_image, stored_stems_older_than
from app.extensions import db
from app.i18n import _l
from app.ideas.models import (
    Comment,
    Follow,
    Idea,
    IdeaChannel,
    IdeaPhoto,
    IdeaStatus,
    IdeaStatusChange,
    PhotoKind,
    Support,
)
from app.territories.models import Territory
from app.territories.queries import territory_at

TITLE_MIN, TITLE_MAX = 5, 120
DESCRIPTION_MIN, DESCRIPTION_MAX = 20, 5000


class IdeaValidationError(ValueError):
    """Carries field -> localized message, for forms and for Open311's error format."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass
class NewIdea:
    title: str
    description: str
    category_id: int
    lon: float | None = None
    lat: float | None = None
    # The keyboard path: no point, a unit and words that describe the place.
    territory_id: int | None = None
    place_description: str | None = None
    author_anonymous: bool = False
    channel: IdeaChannel = IdeaChannel.ONLINE
    submission_token: str | None = None
    # Recorded ideas: where and when they were collected.
    collected_note: str | None = None


def validate_new_idea(data: NewIdea) -> dict[str, str]:
    """Every rule the form checks, checked again here (Open311 comes through here too)."""
    errors: dict[str, str] = {}
    title = (data.title or "").strip()
    description = (data.description or "").strip()
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        errors["title"] = str(_l("The title must be 5 to 120 characters long."))
    elif has_invisible_characters(title):
        errors["title"] = str(_l("Please remove invisible control characters."))
    if not DESCRIPTION_MIN <= len(description) <= DESCRIPTION_MAX:
        errors["description"] = str(_l("The description must be 20 to 5,000 characters long."))
    from app.categories.models import Category

    if not data.category_id or db.session.get(Category, data.category_id) is None:
        errors["category"] = str(_l("Please choose a category."))
    if data.lon is None or data.lat is None:
        if not data.territory_id:
            errors["location"] = str(
                _l("Please pin the place on the map, or choose the territorial unit.")
            )
        elif db.session.get(Territory, data.territory_id) is None:
            errors["location"] = str(_l("Please choose a territorial unit from the list."))
    elif not inside_municipality(data.lon, data.lat):
        errors["location"] = str(_l("The place must be inside the municipality."))
    return errors


def _needs_approval(author: User | None, text: str) -> bool:
    """The spam guard (app.moderation): a new account's text with links waits for approval."""
    from app.moderation.services import needs_approval

    return needs_approval(author, text)


def create_idea(data: NewIdea, author: User | None, entered_by: User | None = None) -> Idea:
    """Validate and add an idea; raises IdeaValidationError. Idempotent per submission token."""
    if data.submission_token:
        existing = db.session.scalar(
            select(Idea).where(Idea.submission_token == data.submission_token)
        )
        if existing is not None:
            return existing
    errors = validate_new_idea(data)
    if errors:
        raise IdeaValidationError(errors)
    if data.lon is not None and data.lat is not None:
        geom = point_sql(data.lon, data.lat)
        approximate = False
    else:
        territory = db.session.get(Territory, data.territory_id)
        geom = territory.centre
        approximate = True
    idea = Idea(
        title=data.title.strip(),
        description=_normalise_text(data.description),
        category_id=data.category_id,
        geom=geom,
        location_approximate=approximate,
        place_description=(data.place_description or "").strip() or None,
        author=author,
        author_anonymous=data.author_anonymous,
        channel=data.channel,
        entered_by=entered_by,
        collected_note=(data.collected_note or "").strip() or None,
        status=IdeaStatus.SUBMITTED,
        submission_token=data.submission_token,
        awaiting_approval=_needs_approval(
            author, f"{data.title} {data.description} {data.place_description or ''}"
        ),
    )
    db.session.add(idea)
    db.session.flush()
    db.session.add(IdeaStatusChange(idea_id=idea.id, from_status=None, to_status=idea.status))
    db.session.flush()
    db.session.refresh(idea)  # territory_id comes from the database trigger
    return idea


# --- ideas recorded by leaders (workshops, paper) -----------------------------------------

RECORDED_CHANNELS = (IdeaChannel.WORKSHOP, IdeaChannel.PAPER)


def territory_of_place(data: NewIdea) -> int | None:
    """The unit an idea will belong to: the one covering its pin, or the one chosen."""
    if data.lon is not None and data.lat is not None:
        unit = territory_at(data.lon, data.lat)
        return unit.id if unit else None
    return data.territory_id


def validate_recorded_idea(data: NewIdea, recorder: User) -> dict[str, str]:
    """The rules of every new idea; and a leader records only in the units they lead."""
    errors = validate_new_idea(data)
    if "location" not in errors and not recorder.leads(territory_of_place(data)):
        errors["location"] = str(
            _l("You can record ideas only for the territorial units you lead.")
        )
    return errors


def record_idea(data: NewIdea, recorder: User) -> Idea:
    """An idea collected from a participant and entered on their behalf: it has no author
    account, remembers who typed it in, and is trusted like the leader who did."""
    if data.channel not in RECORDED_CHANNELS:
        raise ValueError(f"not a recorded channel: {data.channel}")
    errors = validate_recorded_idea(data, recorder)
    if errors:
        raise IdeaValidationError(errors)
    return create_idea(data, author=None, entered_by=recorder)


# --- what residents do with an idea (the idea page) ---------------------------------------

COMMENT_EDIT_WINDOW = timedelta(minutes=15)


@dataclass(frozen=True)
class PhotoUpload:
    """A photo already checked and stored by app.core.uploads.store_image."""

    stem: str
    width: int
    height: int
    alt_text: str | None = None


def attach_photos(idea: Idea, photos: list[PhotoUpload], uploader: User | None) -> None:
    """Add stored photos to an idea, in order."""
    for position, photo in enumerate(photos):
        db.session.add(
            IdeaPhoto(
                idea_id=idea.id,
                stem=photo.stem,
                width=photo.width,
                height=photo.height,
                alt_text=(photo.alt_text or "").strip()[:250] or None,
                position=position,
                kind=PhotoKind.BEFORE,
                uploaded_by_id=uploader.id if uploader else None,
            )
        )
    db.session.flush()


def support_idea(user: User, idea: Idea) -> bool:
    """Add the user's support; True if it is new. Safe under concurrent requests:
    the primary key decides, the database trigger keeps the count."""
    inserted = db.session.execute(
        pg_insert(Support)
        .values(user_id=user.id, idea_id=idea.id)
        .on_conflict_do_nothing(index_elements=["user_id", "idea_id"])
        .returning(Support.idea_id)
    ).first()
    db.session.flush()
    db.session.expire(idea, ["support_count"])
    return inserted is not None


def withdraw_support(user: User, idea: Idea) -> bool:
    removed = db.session.execute(
        delete(Support).where((Support.user_id == user.id) & (Support.idea_id == idea.id))
    ).rowcount
    db.session.flush()
    db.session.expire(idea, ["support_count"])
    return bool(removed)


def follow_idea(user: User, idea: Idea) -> None:
    db.session.execute(
        pg_insert(Follow)
        .values(user_id=user.id, idea_id=idea.id)
        .on_conflict_do_nothing(index_elements=["user_id", "idea_id"])
    )
    db.session.flush()


def unfollow_idea(user: User, idea: Idea) -> None:
    db.session.execute(
        delete(Follow).where((Follow.user_id == user.id) & (Follow.idea_id == idea.id))
    )
    db.session.flush()


def add_comment(idea: Idea, author: User, body: str, token: str | None = None) -> Comment:
    """Add a plain-text comment; the same token twice gives the first comment back."""
    if token:
        existing = db.session.scalar(select(Comment).where(Comment.submission_token == token))
        if existing is not None:
            return existing
    comment = Comment(
        idea_id=idea.id,
        author_id=author.id,
        body=_normalise_text(body),
        is_official=author.is_staff,
        submission_token=token or None,
        awaiting_approval=_needs_approval(author, body),
    )
    try:
        with db.session.begin_nested():
            db.session.add(comment)
    except IntegrityError:
        # A concurrent request with the same token won the race.
        existing = db.session.scalar(select(Comment).where(Comment.submission_token == token))
        if existing is None:
            raise
        return existing
    return comment


def comment_editable_by(comment: Comment, user, now: datetime | None = None) -> bool:
    """Only the author, only within 15 minutes of writing it."""
    if not getattr(user, "is_authenticated", False) or comment.author_id != user.id:
        return False
    if comment.hidden_at is not None:
        return False
    now = now or datetime.now(UTC)
    return now - comment.created_at <= COMMENT_EDIT_WINDOW


def edit_comment(comment: Comment, user: User, body: str) -> None:
    if not comment_editable_by(comment, user):
        raise PermissionError("comment no longer editable")
    comment.body = _normalise_text(body)
    comment.edited_at = datetime.now(UTC)
    db.session.flush()


def idea_editable_by(idea: Idea, user) -> bool:
    """The author may edit or withdraw while nobody has acted on the idea yet."""
    return (
        getattr(user, "is_authenticated", False)
        and idea.author_id is not None
        and idea.author_id == user.id
        and idea.status == IdeaStatus.SUBMITTED
        and idea.withdrawn_at is None
        and idea.hidden_at is None
    )


def update_idea(idea: Idea, data: NewIdea) -> Idea:
    """Change text, category and place of an idea; raises IdeaValidationError."""
    errors = validate_new_idea(data)
    if errors:
        raise IdeaValidationError(errors)
    idea.title = data.title.strip()
    idea.description = _normalise_text(data.description)
    idea.category_id = data.category_id
    if data.lon is not None and data.lat is not None:
        idea.geom = point_sql(data.lon, data.lat)
        idea.location_approximate = False
    else:
        idea.geom = db.session.get(Territory, data.territory_id).centre
        idea.location_approximate = True
    idea.place_description = (data.place_description or "").strip() or None
    db.session.flush()
    db.session.refresh(idea)  # the trigger may have moved it to another unit
    return idea


def withdraw_idea(idea: Idea) -> None:
    """The author takes the idea back: it leaves the map, the list and the API."""
    idea.withdrawn_at = datetime.now(UTC)
    db.session.flush()


def _normalise_text(value: str) -> str:
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


# --- housekeeping -------------------------------------------------------------------------

UNUSED_PHOTO_BATCH = 1000


def purge_unused_photos(older_than: timedelta) -> int:
    """Delete stored photos that no idea uses, once older than `older_than`: photos kept
    between the steps of a submission that was never finished. Returns how many."""
    cutoff = (datetime.now(UTC) - older_than).timestamp()
    candidates = sorted(stored_stems_older_than(cutoff))
    removed = 0
    for start in range(0, len(candidates), UNUSED_PHOTO_BATCH):
        batch = candidates[start : start + UNUSED_PHOTO_BATCH]
        used = set(db.session.scalars(select(IdeaPhoto.stem).where(IdeaPhoto.stem.in_(batch))))
        for stem in batch:
            if stem not in used:
                delete_image(stem)
                removed += 1
    return removed
