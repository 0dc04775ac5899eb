"""Reads for admin pages: the audit log and the people who hold a role."""

from sqlalchemy import func, select
from sqlalchemy.orm import aliased, selectinload

from app.accounts.models import Role, User
from app.audit import AuditEntry
from app.core.pagination import Page, paginate
from app.extensions import db


def audit_page(action: str | None, actor_id: int | None, page: int, per_page: int = 50) -> Page:
    """Newest entries first, with the actor's name; filtered by action and actor."""
    actor = aliased(User)
    query = (
        select(AuditEntry, actor.display_name.label("actor_name"), actor.email.label("actor_email"))
        .outerjoin(actor, actor.id == AuditEntry.actor_id)
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    )
    if action:
        query = query.where(AuditEntry.action == action)
    if actor_id:
        query = query.where(AuditEntry.actor_id == actor_id)
    return paginate(query, page, per_page)


def audit_actions() -> list[str]:
    return list(
        db.session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action))
    )


def audit_actors() -> list[tuple[int, str]]:
    """People who appear in the log (only staff and admins act)."""
    actors = select(AuditEntry.actor_id).where(AuditEntry.actor_id.is_not(None)).distinct()
    rows = db.session.execute(
        select(User.id, User.display_name, User.email)
        .where(User.id.in_(actors))
        .order_by(User.display_name)
    )
    return [(row.id, f"{row.display_name} ({row.email})") for row in rows]


def role_holders(search: str | None, page: int, per_page: int = 50) -> Page:
    """Users with a role above resident, or anyone matching the e-mail/name search."""
    query = select(User).options(selectinload(User.leader_of)).order_by(User.display_name, User.id)
    if search:
        pattern = f"%{search.strip()}%"
        query = query.where(User.email.ilike(pattern) | User.display_name.ilike(pattern))
    else:
        query = query.where(User.role != Role.RESIDENT)
    return paginate(query, page, per_page, scalars=True)


def count_admins() -> int:
    return db.session.scalar(select(func.count()).where(User.role == Role.ADMIN)) or 0
