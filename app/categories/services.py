from sqlalchemy import select

from app.categories.models import DEFAULT_CATEGORIES, Category
from app.extensions import db


def ensure_default_categories() -> int:
    """Create missing default categories; returns how many were added. Flushes."""
    existing = set(db.session.scalars(select(Category.slug)))
    added = 0
    for position, (slug, name, name_en) in enumerate(DEFAULT_CATEGORIES):
        if slug not in existing:
            db.session.add(Category(slug=slug, name=name, name_en=name_en, position=position))
            added += 1
    db.session.flush()
    return added
