"""Account deletion: personal data goes, ideas and comments stay as "deleted user".

Every deletion is recorded in deleted_accounts so it can be re-applied after a backup restore.
"""

import re
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert

from app.accounts.models import Role, User
from app.accounts.services import new_session_token
from app.extensions import db
from app.ideas.models import Follow, Idea, IdeaPhoto, Support
from app.privacy.models import DeletedAccount
from app.privacy.queries import personal_tables

DELETED_NAME = "deleted user"
# Not an argon2 hash, so no password can ever match it.
INVALID_PASSWORD_HASH = "!deleted"  # noqa: S105 - a marker, not a secret
# Tables whose treatment is decided here rather than by the generic rule below.
KEPT_TABLES = {"ideas", "comments"}
HANDLED_TABLES = {"idea_photos", "supports", "follows"}
_STEM = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def placeholder_email(user_id: int) -> str:
    return f"deleted-{user_id}@deleted.invalid"


def is_deleted(user: User) -> bool:
    return user.email == placeholder_email(user.id)


def delete_account(user: User) -> list[str]:
    """Remove the user's personal data (flushes). Returns the photo stems whose files must be
    removed once the transaction has committed (see remove_photo_files)."""
    stems = _delete_photos(user.id)
    db.session.execute(delete(Support).where(Support.user_id == user.id))
    db.session.execute(delete(Follow).where(Follow.user_id == user.id))
    _apply_generic_rule(user.id)
    created_at = user.created_at
    db.session.execute(
        update(User)
        .where(User.id == user.id)
        .values(
            email=placeholder_email(user.id),
            display_name=DELETED_NAME,
            password_hash=INVALID_PASSWORD_HASH,
            session_token=new_session_token(),
            email_confirmed_at=None,
            home_territory_id=None,
            role=Role.RESIDENT,
            suspended_reason=None,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        insert(DeletedAccount)
        .values(id=user.id, account_created_at=created_at)
        .on_conflict_do_nothing(index_elements=["id"])
    )
    db.session.flush()
    db.session.expire(user)
    return stems


def _delete_photos(user_id: int) -> list[str]:
    """Photos the user uploaded (or, when the uploader is unknown, on the user's own ideas)."""
    own_ideas = select(Idea.id).where(Idea.author_id == user_id)
    condition = or_(
        IdeaPhoto.uploaded_by_id == user_id,
        IdeaPhoto.uploaded_by_id.is_(None) & IdeaPhoto.idea_id.in_(own_ideas),
    )
    stems = list(db.session.scalars(delete(IdeaPhoto).where(condition).returning(IdeaPhoto.stem)))
    return stems


def _apply_generic_rule(user_id: int) -> None:
    """Other features' tables: rows that cascade with the user are deleted; nullable links are
    cut (the content stays, anonymous); anything else stays linked to the anonymised account."""
    for table, owners in personal_tables():
        if table.name in KEPT_TABLES | HANDLED_TABLES:
            continue
        for column in owners:
            [foreign_key] = [fk for fk in column.foreign_keys if fk.column.table.name == "users"]
            if (foreign_key.ondelete or "").upper() == "CASCADE":
                db.session.execute(delete(table).where(column == user_id))
            elif column.nullable:
                db.session.execute(
                    update(table).where(column == user_id).values({column.name: None})
                )


def remove_photo_files(upload_dir: str, stems: list[str]) -> int:
    """Delete every size of each photo from disk; returns how many files went."""
    folder = Path(upload_dir)
    removed = 0
    for stem in stems:
        if not _STEM.match(stem):
            continue  # never let a stored name reach outside the upload folder
        for path in folder.glob(f"{stem}-*"):
            path.unlink(missing_ok=True)
            removed += 1
        for path in (folder / stem, folder / f"{stem}.jpg"):
            if path.is_file():
                path.unlink()
                removed += 1
    return removed


def record_deletions(entries: list[tuple[int, datetime | None]]) -> None:
    """Add deletions listed elsewhere (e.g. saved before a restore) to deleted_accounts."""
    for user_id, created_at in entries:
        db.session.execute(
            insert(DeletedAccount)
            .values(id=user_id, account_created_at=created_at)
            .on_conflict_do_nothing(index_elements=["id"])
        )


def reapply_deletions() -> tuple[int, list[str]]:
    """Delete again every recorded account that a restore brought back.

    Returns (accounts re-deleted, photo stems to remove). An account is only touched when its
    creation time matches the recorded one, so a new account that re-used an id is safe."""
    redone = 0
    stems: list[str] = []
    rows = db.session.execute(
        select(DeletedAccount.id, DeletedAccount.account_created_at).order_by(DeletedAccount.id)
    ).all()
    for user_id, created_at in rows:
        user = db.session.get(User, user_id)
        if user is None or (created_at is not None and user.created_at != created_at):
            continue
        had_data = not is_deleted(user) or _has_owned_rows(user_id)
        stems += delete_account(user)
        redone += int(had_data)
    # Ids of deleted accounts are never handed out again, even after a restore rewound the sequence.
    db.session.execute(
        text(
            "SELECT setval(pg_get_serial_sequence('users', 'id'), "
            "GREATEST((SELECT max(id) FROM users), (SELECT max(id) FROM deleted_accounts), 1))"
        )
    )
    return redone, stems


def _has_owned_rows(user_id: int) -> bool:
    for model in (Support, Follow):
        if db.session.scalar(select(model.user_id).where(model.user_id == user_id).limit(1)):
            return True
    return False
