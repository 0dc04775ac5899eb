"""Queueing notifications. Everything here flushes and never commits: the outbox rows are
written in the same transaction as the change they announce, so both happen or neither."""

from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.dialects.postgresql import insert

from app.accounts.models import NotificationFrequency, User
from app.extensions import db
from app.ideas.models import Follow, Idea, IdeaStatusChange
from app.notifications.models import DigestItem, OutboxMessage

IDEA_CHANGED = "idea_changed"
CONTENT_HIDDEN = "content_hidden"
CONTENT_RESTORED = "content_restored"
ACCOUNT_SUSPENDED = "account_suspended"
WEEKLY_DIGEST = "weekly_digest"


def queue_email(
    user: User,
    template: str,
    context: dict[str, Any],
    dedupe_key: str,
    *,
    when: datetime | None = None,
) -> bool:
    """Add one e-mail for `user` to the outbox; False if that key was queued before."""
    values = {
        "user_id": user.id,
        "email": user.email,
        "locale": user.locale or "lv",
        "template": template,
        "context": context,
        "dedupe_key": dedupe_key,
    }
    if when is not None:
        values["next_attempt_at"] = when
    statement = (
        insert(OutboxMessage)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(OutboxMessage.id)
    )
    return db.session.execute(statement).scalar_one_or_none() is not None


def _queue_digest_item(user: User, idea_id: int, context: dict[str, Any], key: str) -> bool:
    statement = (
        insert(DigestItem)
        .values(user_id=user.id, idea_id=idea_id, context=context, dedupe_key=key)
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(DigestItem.id)
    )
    return db.session.execute(statement).scalar_one_or_none() is not None


def idea_recipients(idea: Idea, exclude_user_id: int | None = None) -> list[User]:
    """The idea's author and its followers, each once, who can receive e-mail."""
    followers = select(Follow.user_id).where(Follow.idea_id == idea.id)
    condition = or_(User.id.in_(followers), User.id == idea.author_id)
    if exclude_user_id is not None:
        condition = and_(condition, User.id != exclude_user_id)
    query = (
        select(User)
        .where(
            condition,
            User.email_confirmed_at.is_not(None),
            User.suspended_at.is_(None),
        )
        .order_by(User.id)
    )
    return list(db.session.scalars(query))


def change_context(idea: Idea, change: IdeaStatusChange) -> dict[str, Any]:
    """What the e-mail needs, stored as JSON so the worker needs nothing else."""
    return {
        "idea_id": idea.id,
        "idea_title": idea.title,
        "change_id": change.id,
        "from_status": change.from_status.value if change.from_status else None,
        "to_status": change.to_status.value if change.to_status else None,
        "answer": change.answer,
        "answer_en": change.answer_en,
    }


def notify_idea_changed(idea: Idea, change: IdeaStatusChange) -> int:
    """Queue the news of an answer or status change for the idea's author and followers.

    Users who chose "immediately" get an outbox row, "weekly" a digest item, "never" nothing;
    the person who made the change is not told about it. Returns how many people were queued.
    Call it inside the transaction that records the change; it flushes, the caller commits.
    """
    if change.id is None:
        db.session.flush()
    context = change_context(idea, change)
    queued = 0
    for user in idea_recipients(idea, exclude_user_id=change.actor_id):
        key = f"idea-change:{change.id}:{user.id}"
        frequency = user.notification_frequency or NotificationFrequency.IMMEDIATELY
        if frequency == NotificationFrequency.NEVER:
            continue
        if frequency == NotificationFrequency.WEEKLY:
            queued += _queue_digest_item(user, idea.id, context, key)
        else:
            queued += queue_email(user, IDEA_CHANGED, context, key)
    db.session.flush()
    return queued


def notify_content_hidden(
    author: User | None, kind: str, target_id: int, title: str, reason: str, *, restored=False
) -> bool:
    """Tell an author that a moderator hid (or restored) their idea or comment.

    This is about the author's own content, so it is sent whatever their digest choice."""
    if author is None or author.email_confirmed_at is None:
        return False
    template = CONTENT_RESTORED if restored else CONTENT_HIDDEN
    stamp = datetime.now().timestamp()
    context = {"kind": kind, "target_id": target_id, "title": title, "reason": reason}
    ok = queue_email(author, template, context, f"{template}:{kind}:{target_id}:{stamp}")
    db.session.flush()
    return ok


def notify_account_suspended(user: User, reason: str) -> bool:
    stamp = datetime.now().timestamp()
    ok = queue_email(
        user, ACCOUNT_SUSPENDED, {"reason": reason}, f"{ACCOUNT_SUSPENDED}:{user.id}:{stamp}"
    )
    db.session.flush()
    return ok
