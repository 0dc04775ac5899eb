"""Ideas for open data and Open311 tests, made through the real service."""

from datetime import UTC, datetime

from sqlalchemy import func, select

import app.accounts  # noqa: F401 - accounts first, or app.ideas imports it half-way
from app.categories.models import Category
from app.extensions import db
from app.ideas.services import NewIdea, create_idea
from app.territories.models import Territory


def unit_centre(name: str = "Balvi") -> tuple[float, float]:
    lon, lat = db.session.execute(
        select(func.ST_X(Territory.centre), func.ST_Y(Territory.centre)).where(
            Territory.name == name
        )
    ).one()
    return lon, lat


def category_id(slug: str = "roads") -> int:
    return db.session.scalar(select(Category.id).where(Category.slug == slug))


def add_idea(
    title: str = "Apgaismojums pie skolas",
    description: str = "Vakaros ceļš uz skolu ir pilnīgi tumšs, vajag laternas.",
    author=None,
    anonymous: bool = False,
    slug: str = "roads",
    hidden: bool = False,
    withdrawn: bool = False,
    awaiting: bool = False,
    unit: str = "Balvi",
):
    lon, lat = unit_centre(unit)
    idea = create_idea(
        NewIdea(
            title=title,
            description=description,
            category_id=category_id(slug),
            lon=lon,
            lat=lat,
            author_anonymous=anonymous,
        ),
        author,
    )
    now = datetime.now(UTC)
    idea.hidden_at = now if hidden else None
    idea.withdrawn_at = now if withdrawn else None
    idea.awaiting_approval = awaiting
    db.session.commit()
    return idea
