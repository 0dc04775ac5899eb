"""Ideas for staff, feedback and admin tests, made through the real service."""

import itertools
from datetime import datetime

from sqlalchemy import select, update

from app.accounts.models import User
from app.categories.models import Category
from app.extensions import db
from app.ideas.models import Follow, Idea, IdeaStatus, Support
from app.ideas.services import NewIdea, create_idea
from tests.factories import territory

_numbers = itertools.count(1)


def make_idea(
    author: User | None,
    title: str | None = None,
    unit: str = "Balvi",
    category: str = "roads",
    **fields,
) -> Idea:
    """An idea placed in `unit`; extra keyword arguments are written to the row as set-up
    (fixed created_at, status, first_answered_at, hidden_at…)."""
    number = next(_numbers)
    category_id = db.session.scalar(select(Category.id).where(Category.slug == category))
    idea = create_idea(
        NewIdea(
            title=title or f"Priekšlikums numur {number}",
            description="Apraksts, kas ir pietiekami garš, lai to pieņemtu.",
            category_id=category_id,
            territory_id=territory(unit).id,
            place_description="Pie skolas",
        ),
        author,
    )
    if fields:
        db.session.execute(update(Idea).where(Idea.id == idea.id).values(**fields))
    db.session.commit()
    db.session.refresh(idea)
    return idea


def support(user, idea) -> None:
    db.session.add(Support(user_id=user.id, idea_id=idea.id))  # the trigger counts it
    db.session.commit()


def follow(user, idea) -> None:
    db.session.add(Follow(user_id=user.id, idea_id=idea.id))
    db.session.commit()


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


__all__ = ["IdeaStatus", "at", "follow", "make_idea", "support"]
