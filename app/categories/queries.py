"""Reads for the categories page of administrators."""

from dataclasses import dataclass

from sqlalchemy import func, select

from app.categories.models import Category
from app.extensions import db


@dataclass
class CategoryRow:
    category: Category
    ideas: int


def categories_with_idea_counts() -> list[CategoryRow]:
    """Every category, active or not, in the order residents see them, with its ideas."""
    from app.ideas.models import Idea

    counts = select(Idea.category_id, func.count().label("n")).group_by(Idea.category_id).subquery()
    rows = db.session.execute(
        select(Category, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.category_id == Category.id)
        .order_by(Category.position, Category.id)
    )
    return [CategoryRow(category, ideas) for category, ideas in rows]


def slug_taken(slug: str) -> bool:
    return db.session.scalar(select(func.count()).where(Category.slug == slug)) > 0
