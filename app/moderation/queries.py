"""Reads for the moderation queue: grouped in SQL, one page at a time."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.extensions import db
from app.ideas.models import Comment, Idea
from app.moderation.models import Report, ReportKind, ReportStatus

PAGE_SIZE = 25


@dataclass
class ReportedItem:
    kind: ReportKind
    target: Idea | Comment
    reports: int
    latest: datetime
    reasons: list[str] = field(default_factory=list)


def reported_page(page: int = 1) -> tuple[list[ReportedItem], int]:
    """Content with open reports, most reported first; and the number of such items."""
    key = (Report.kind, Report.idea_id, Report.comment_id)
    open_reports = Report.status == ReportStatus.OPEN
    total = db.session.scalar(
        select(func.count()).select_from(select(*key).where(open_reports).group_by(*key).subquery())
    )
    rows = db.session.execute(
        select(
            *key,
            func.count().label("reports"),
            func.max(Report.created_at).label("latest"),
            func.array_agg(func.distinct(Report.reason)).label("reasons"),
        )
        .where(open_reports)
        .group_by(*key)
        .order_by(func.count().desc(), func.max(Report.created_at).desc())
        .limit(PAGE_SIZE)
        .offset((max(page, 1) - 1) * PAGE_SIZE)
    ).all()
    idea_ids = [r.idea_id for r in rows if r.idea_id]
    comment_ids = [r.comment_id for r in rows if r.comment_id]
    ideas = {i.id: i for i in db.session.scalars(select(Idea).where(Idea.id.in_(idea_ids)))}
    comments = {
        c.id: c
        for c in db.session.scalars(
            select(Comment).options(joinedload(Comment.idea)).where(Comment.id.in_(comment_ids))
        )
    }
    items = []
    for row in rows:
        target = ideas.get(row.idea_id) if row.idea_id else comments.get(row.comment_id)
        if target is not None:
            reasons = [getattr(r, "value", r) for r in row.reasons]
            items.append(ReportedItem(row.kind, target, row.reports, row.latest, reasons))
    return items, total or 0


def awaiting_ideas(limit: int = PAGE_SIZE) -> tuple[list[Idea], int]:
    waiting = (
        Idea.awaiting_approval.is_(True),
        Idea.hidden_at.is_(None),
        Idea.withdrawn_at.is_(None),
    )
    total = db.session.scalar(select(func.count()).select_from(Idea).where(*waiting))
    ideas = db.session.scalars(
        select(Idea)
        .options(joinedload(Idea.author))
        .where(*waiting)
        .order_by(Idea.created_at)
        .limit(limit)
    ).all()
    return list(ideas), total or 0


def awaiting_comments(limit: int = PAGE_SIZE) -> tuple[list[Comment], int]:
    waiting = (Comment.awaiting_approval.is_(True), Comment.hidden_at.is_(None))
    total = db.session.scalar(select(func.count()).select_from(Comment).where(*waiting))
    comments = db.session.scalars(
        select(Comment)
        .options(joinedload(Comment.author), joinedload(Comment.idea))
        .where(*waiting)
        .order_by(Comment.created_at)
        .limit(limit)
    ).all()
    return list(comments), total or 0


def reports_for(target: Idea | Comment, limit: int = 50) -> list[Report]:
    column = Report.idea_id if isinstance(target, Idea) else Report.comment_id
    return list(
        db.session.scalars(
            select(Report)
            .options(joinedload(Report.reporter))
            .where(column == target.id)
            .order_by(Report.status, Report.created_at.desc())
            .limit(limit)
        )
    )


def contribution_counts(user: User) -> dict[str, int]:
    ideas = db.session.scalar(select(func.count()).where(Idea.author_id == user.id)) or 0
    comments = db.session.scalar(select(func.count()).where(Comment.author_id == user.id)) or 0
    hidden_ideas = (
        db.session.scalar(
            select(func.count()).where(Idea.author_id == user.id, Idea.hidden_at.is_not(None))
        )
        or 0
    )
    hidden_comments = (
        db.session.scalar(
            select(func.count()).where(Comment.author_id == user.id, Comment.hidden_at.is_not(None))
        )
        or 0
    )
    return {
        "ideas": ideas,
        "comments": comments,
        "hidden_ideas": hidden_ideas,
        "hidden_comments": hidden_comments,
    }
