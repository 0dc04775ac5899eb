"""Writes for categories: defaults for a new municipality, and the administrators' changes.
Services flush; the view commits once. Every administrator's change is audited."""

import re
import unicodedata

from sqlalchemy import func, select

from app import audit
from app.categories.models import DEFAULT_CATEGORIES, Category
from app.categories.queries import slug_taken
from app.core.text import has_invisible_characters
from app.extensions import db
from app.i18n import _l

NAME_MIN, NAME_MAX = 2, 120
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 40


class CategoryError(ValueError):
    """Carries field -> localized message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


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


def slug_from(text: str) -> str:
    """A URL and Open311 service code from a name: ASCII letters, digits and hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:SLUG_MAX].strip("-")


def _name_errors(name: str, name_en: str) -> dict[str, str]:
    errors = {}
    for field, value in (("name", name), ("name_en", name_en)):
        if not NAME_MIN <= len(value) <= NAME_MAX:
            errors[field] = str(_l("A name must be 2 to 120 characters long."))
        elif has_invisible_characters(value):
            errors[field] = str(_l("Please remove invisible control characters."))
    return errors


def _snapshot(category: Category) -> dict:
    return {
        "slug": category.slug,
        "name": category.name,
        "name_en": category.name_en,
        "position": category.position,
        "active": category.active,
    }


def create_category(name: str, name_en: str, slug: str, actor) -> Category:
    """A new active category at the end of the list; raises CategoryError."""
    name, name_en = name.strip(), name_en.strip()
    slug = slug.strip().lower() or slug_from(name_en or name)
    errors = _name_errors(name, name_en)
    if not SLUG_PATTERN.match(slug) or len(slug) > SLUG_MAX:
        errors["slug"] = str(
            _l("Use 1 to 40 lowercase Latin letters, digits and single hyphens, like roads.")
        )
    elif slug_taken(slug):
        errors["slug"] = str(_l("Another category already has this short name."))
    if errors:
        raise CategoryError(errors)
    last = db.session.scalar(select(func.max(Category.position))) or 0
    category = Category(slug=slug, name=name, name_en=name_en, position=last + 1, active=True)
    db.session.add(category)
    db.session.flush()
    audit.record(actor, "category.create", f"category:{category.id}", None, _snapshot(category))
    return category


def update_category(category: Category, name: str, name_en: str, active: bool, actor) -> bool:
    """Rename, retire or bring back a category (its short name stays: links and Open311
    clients use it). Retired categories keep their ideas but take no new ones."""
    name, name_en = name.strip(), name_en.strip()
    errors = _name_errors(name, name_en)
    if errors:
        raise CategoryError(errors)
    before = _snapshot(category)
    category.name, category.name_en, category.active = name, name_en, active
    after = _snapshot(category)
    if after == before:
        return False
    db.session.flush()
    audit.record(actor, "category.update", f"category:{category.id}", before, after)
    return True


def move_category(category: Category, direction: int, actor) -> bool:
    """Swap places with the neighbour above (-1) or below (+1); False at either end."""
    ordered = list(db.session.scalars(select(Category).order_by(Category.position, Category.id)))
    index = ordered.index(category)
    other = index + direction
    if direction not in (-1, 1) or not 0 <= other < len(ordered):
        return False
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, item in enumerate(ordered):
        item.position = position
    db.session.flush()
    audit.record(
        actor,
        "category.move",
        f"category:{category.id}",
        {"position": index},
        {"position": other},
    )
    return True
