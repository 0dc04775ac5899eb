"""Reads of the staff workspace: the queue of ideas and an idea's full history."""

from dataclasses import dataclass

from sqlalchemy import extract, func, select
from sqlalchemy.orm import aliased

from app.accounts.models import User
from app.categories.models import Category
from app.core.pagination import Page, paginate
from app.extensions import db
from app.ideas.models import Idea, IdeaStatus, IdeaStatusChange, public_ideas_clause
from app.staff.models import ProgrammeTask
from app.territories.models import Territory

# Ideas still waiting for the municipality to finish with them.
OPEN_STATUSES = (
    IdeaStatus.SUBMITTED,
    IdeaStatus.UNDER_REVIEW,
    IdeaStatus.ADOPTED,
    IdeaStatus.IN_PROGRESS,
)
AGEING_DAYS = 14
OVERDUE_DAYS = 30


@dataclass
class QueueFilters:
    territory_id: int | None = None
    category_id: int | None = None
    status: IdeaStatus | None = None  # None: every open status


def age_level(age_days: int | None, answered: bool) -> str | None:
    """'overdue' after 30 days without an answer, 'ageing' after 14, else None."""
    if answered or age_days is None:
        return None
    if age_days >= OVERDUE_DAYS:
        return "overdue"
    if age_days >= AGEING_DAYS:
        return "ageing"
    return None


def staff_queue(filters: QueueFilters, page: int, per_page: int = 25) -> Page:
    """Published ideas, unanswered first and oldest first, one page of them."""
    age_days = func.floor(extract("epoch", func.now() - Idea.created_at) / 86400).label("age_days")
    query = (
        select(
            Idea.id,
            Idea.title,
            Idea.status,
            Idea.created_at,
            Idea.first_answered_at,
            Idea.status_changed_at,
            Idea.support_count,
            Territory.name.label("territory_lv"),
            Territory.name_en.label("territory_en"),
            Category.name.label("category_lv"),
            Category.name_en.label("category_en"),
            age_days,
        )
        .join(Category, Category.id == Idea.category_id)
        .outerjoin(Territory, Territory.id == Idea.territory_id)
        .where(public_ideas_clause())
    )
    if filters.status is not None:
        query = query.where(Idea.status == filters.status)
    else:
        query = query.where(Idea.status.in_(OPEN_STATUSES))
    if filters.territory_id:
        query = query.where(Idea.territory_id == filters.territory_id)
    if filters.category_id:
        query = query.where(Idea.category_id == filters.category_id)
    # false sorts before true: unanswered first. Matches the index ix_ideas_staff_queue.
    query = query.order_by(Idea.first_answered_at.is_not(None), Idea.created_at, Idea.id)
    return paginate(query, page, per_page)


def status_history(idea_id: int) -> list:
    """Every status change of an idea, oldest first, with who made it (staff view)."""
    actor = aliased(User)
    rows = db.session.execute(
        select(IdeaStatusChange, actor.display_name.label("actor_name"))
        .outerjoin(actor, actor.id == IdeaStatusChange.actor_id)
        .where(IdeaStatusChange.idea_id == idea_id)
        .order_by(IdeaStatusChange.created_at, IdeaStatusChange.id)
    )
    return list(rows)


def programme_tasks() -> list[ProgrammeTask]:
    return list(db.session.scalars(select(ProgrammeTask).order_by(ProgrammeTask.code)))


def programme_task_page(page: int, per_page: int = 50) -> Page:
    """Tasks with how many ideas are linked to each."""
    linked = (
        select(func.count())
        .select_from(Idea)
        .where(Idea.programme_task_id == ProgrammeTask.id)
        .scalar_subquery()
    )
    query = select(ProgrammeTask, linked.label("idea_count")).order_by(ProgrammeTask.code)
    return paginate(query, page, per_page)
