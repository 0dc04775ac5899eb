"""Moderation writes: reports, hide/restore, approval, suspension and the spam guard.

Services flush and never commit; every staff action is written to the audit log, and the
author is told through the notification outbox in the same transaction."""

import re
import secrets
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from app.accounts.models import ROLE_RANK, Role, User
from app.audit import record
from app.extensions import db
from app.ideas.models import Comment, Idea
from app.moderation.models import Report, ReportKind, ReportReason, ReportStatus
from app.notifications.services import notify_account_suspended, notify_content_hidden

# --- spam guard ------------------------------------------------------------------------

NEW_ACCOUNT_AGE = timedelta(hours=24)
TRUSTED_AFTER = 3  # approved ideas and comments
LINK_RE = re.compile(
    r"https?://|\bwww\.|\b[a-z0-9][a-z0-9-]*\.(?:lv|com|net|org|ru|eu|info|biz|io|xyz|top|"
    r"site|online|shop|club|app|me|ly|co)\b(?:/|\s|$|[.,;:!?)])",
    re.IGNORECASE,
)


def contains_link(text: str | None) -> bool:
    return bool(text and LINK_RE.search(text))


def approved_contributions(user: User, limit: int = TRUSTED_AFTER) -> int:
    """How many of the user's ideas and comments are public, counted up to `limit`."""
    ideas = (
        select(Idea.id)
        .where(
            Idea.author_id == user.id,
            Idea.hidden_at.is_(None),
            Idea.awaiting_approval.is_(False),
        )
        .limit(limit)
        .subquery()
    )
    comments = (
        select(Comment.id)
        .where(
            Comment.author_id == user.id,
            Comment.hidden_at.is_(None),
            Comment.awaiting_approval.is_(False),
        )
        .limit(limit)
        .subquery()
    )
    count_ideas = db.session.scalar(select(func.count()).select_from(ideas)) or 0
    count_comments = db.session.scalar(select(func.count()).select_from(comments)) or 0
    return min(count_ideas + count_comments, limit)


def needs_approval(user: User | None, text: str | None, now: datetime | None = None) -> bool:
    """A new account's text with a link waits for a moderator.

    New means younger than 24 hours or with fewer than three approved ideas and comments.
    Leaders, staff and ideas recorded without an account are trusted."""
    if user is None or user.has_role(Role.LEADER) or not contains_link(text):
        return False
    now = now or datetime.now(UTC)
    created = user.created_at or now
    if created > now - NEW_ACCOUNT_AGE:
        return True
    return approved_contributions(user) < TRUSTED_AFTER


# --- reports ---------------------------------------------------------------------------


class ReportLimitReached(Exception):
    """The account has sent as many reports as it may for now."""


def report_limit_reached(user: User, now: datetime | None = None) -> bool:
    now = now or datetime.now(UTC)
    per_hour = current_app.config.get("REPORTS_PER_HOUR", 10)
    per_day = current_app.config.get("REPORTS_PER_DAY", 30)
    mine = Report.reporter_id == user.id
    last_hour = db.session.scalar(
        select(func.count()).where(mine, Report.created_at > now - timedelta(hours=1))
    )
    if last_hour >= per_hour:
        return True
    last_day = db.session.scalar(
        select(func.count()).where(mine, Report.created_at > now - timedelta(days=1))
    )
    return last_day >= per_day


def get_target(kind: str, target_id: int) -> Idea | Comment | None:
    if kind == ReportKind.IDEA:
        return db.session.get(Idea, target_id)
    if kind == ReportKind.COMMENT:
        return db.session.get(Comment, target_id)
    return None


def target_idea(target: Idea | Comment) -> Idea:
    return target if isinstance(target, Idea) else target.idea


def target_kind(target: Idea | Comment) -> ReportKind:
    return ReportKind.IDEA if isinstance(target, Idea) else ReportKind.COMMENT


def _target_filter(target: Idea | Comment):
    if isinstance(target, Idea):
        return Report.idea_id == target.id
    return Report.comment_id == target.id


def file_report(
    reporter: User, target: Idea | Comment, reason: ReportReason, details: str | None
) -> Report:
    """Save a report; reporting the same thing again while it is open returns the first one."""
    existing = db.session.scalar(
        select(Report).where(
            Report.reporter_id == reporter.id,
            Report.status == ReportStatus.OPEN,
            _target_filter(target),
        )
    )
    if existing is not None:
        return existing
    if report_limit_reached(reporter):
        raise ReportLimitReached
    kind = target_kind(target)
    report = Report(
        reporter_id=reporter.id,
        kind=kind,
        idea_id=target.id if kind == ReportKind.IDEA else None,
        comment_id=target.id if kind == ReportKind.COMMENT else None,
        reason=ReportReason(reason),
        details=(details or "").strip()[:1000] or None,
    )
    try:
        with db.session.begin_nested():
            db.session.add(report)
    except IntegrityError:  # a double-clicked form: the first request saved it
        return db.session.scalar(
            select(Report).where(
                Report.reporter_id == reporter.id,
                Report.status == ReportStatus.OPEN,
                _target_filter(target),
            )
        )
    return report


def _close_reports(actor: User, target: Idea | Comment, status: ReportStatus) -> int:
    result = db.session.execute(
        update(Report)
        .where(_target_filter(target), Report.status == ReportStatus.OPEN)
        .values(status=status, handled_at=func.now(), handled_by_id=actor.id)
    )
    return result.rowcount


def _label(target: Idea | Comment) -> str:
    return f"{target_kind(target).value}:{target.id}"


def _state(target: Idea | Comment) -> dict:
    return {
        "hidden_at": target.hidden_at.isoformat() if target.hidden_at else None,
        "hidden_reason": target.hidden_reason,
        "awaiting_approval": target.awaiting_approval,
    }


def hide(actor: User, target: Idea | Comment, reason: str) -> bool:
    """Hide an idea or comment from everyone but staff; the author is told. False if hidden."""
    if target.hidden_at is not None:
        return False
    before = _state(target)
    target.hidden_at = datetime.now(UTC)
    target.hidden_reason = reason.strip()[:500]
    closed = _close_reports(actor, target, ReportStatus.RESOLVED)
    db.session.flush()
    record(
        actor,
        f"moderation.hide_{target_kind(target).value}",
        _label(target),
        before,
        {**_state(target), "reports_resolved": closed},
    )
    notify_content_hidden(
        target.author,
        target_kind(target).value,
        target.id,
        target_idea(target).title,
        target.hidden_reason,
    )
    return True


def restore(actor: User, target: Idea | Comment, reason: str) -> bool:
    """Make hidden content public again; the author is told. False if it was not hidden."""
    if target.hidden_at is None:
        return False
    before = _state(target)
    target.hidden_at = None
    target.hidden_reason = None
    db.session.flush()
    record(
        actor,
        f"moderation.restore_{target_kind(target).value}",
        _label(target),
        before,
        {**_state(target), "reason": reason.strip()[:500]},
    )
    notify_content_hidden(
        target.author,
        target_kind(target).value,
        target.id,
        target_idea(target).title,
        reason.strip()[:500],
        restored=True,
    )
    return True


def approve(actor: User, target: Idea | Comment) -> bool:
    """Publish content the spam guard held back. False if it was not waiting."""
    if not target.awaiting_approval:
        return False
    before = _state(target)
    target.awaiting_approval = False
    db.session.flush()
    record(
        actor,
        f"moderation.approve_{target_kind(target).value}",
        _label(target),
        before,
        _state(target),
    )
    return True


def dismiss_reports(actor: User, target: Idea | Comment) -> int:
    """Close the open reports of content a moderator found acceptable."""
    closed = _close_reports(actor, target, ReportStatus.DISMISSED)
    if closed:
        record(
            actor,
            f"moderation.dismiss_reports_{target_kind(target).value}",
            _label(target),
            None,
            {"reports_dismissed": closed},
        )
    db.session.flush()
    return closed


# --- suspension ------------------------------------------------------------------------


def can_suspend(actor: User, user: User) -> bool:
    """Staff may suspend residents and leaders, admins staff as well; nobody themselves."""
    return actor.id != user.id and actor.is_staff and ROLE_RANK[actor.role] > ROLE_RANK[user.role]


def suspend(actor: User, user: User, reason: str) -> bool:
    """Suspend an account and hide its ideas and comments. False if already suspended.

    The hidden content gets the suspension's exact timestamp, so lifting the suspension
    restores that content and nothing a moderator hid for another reason."""
    if user.suspended_at is not None:
        return False
    now = datetime.now(UTC)
    reason = reason.strip()[:500]
    user.suspended_at = now
    user.suspended_reason = reason
    user.session_token = secrets.token_urlsafe(32)  # signs every session out
    ideas = db.session.execute(
        update(Idea)
        .where(Idea.author_id == user.id, Idea.hidden_at.is_(None))
        .values(hidden_at=now, hidden_reason=reason)
    ).rowcount
    comments = db.session.execute(
        update(Comment)
        .where(Comment.author_id == user.id, Comment.hidden_at.is_(None))
        .values(hidden_at=now, hidden_reason=reason)
    ).rowcount
    db.session.flush()
    record(
        actor,
        "moderation.suspend_user",
        f"user:{user.id}",
        {"suspended_at": None},
        {
            "suspended_at": now.isoformat(),
            "reason": reason,
            "ideas_hidden": ideas,
            "comments_hidden": comments,
        },
    )
    notify_account_suspended(user, reason)
    return True


def lift_suspension(actor: User, user: User, reason: str) -> bool:
    """Lift a suspension and restore what the suspension hid. False if not suspended."""
    if user.suspended_at is None:
        return False
    stamp = user.suspended_at
    before = {"suspended_at": stamp.isoformat(), "reason": user.suspended_reason}
    ideas = db.session.execute(
        update(Idea)
        .where(Idea.author_id == user.id, Idea.hidden_at == stamp)
        .values(hidden_at=None, hidden_reason=None)
    ).rowcount
    comments = db.session.execute(
        update(Comment)
        .where(Comment.author_id == user.id, Comment.hidden_at == stamp)
        .values(hidden_at=None, hidden_reason=None)
    ).rowcount
    user.suspended_at = None
    user.suspended_reason = None
    db.session.flush()
    record(
        actor,
        "moderation.lift_suspension",
        f"user:{user.id}",
        before,
        {
            "suspended_at": None,
            "reason": reason.strip()[:500],
            "ideas_restored": ideas,
            "comments_restored": comments,
        },
    )
    return True
