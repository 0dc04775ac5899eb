"""Helpers for the submission and idea-page tests (part A of issue 3)."""

import io
import itertools

from PIL import Image
from sqlalchemy import func, select

from app.categories.models import Category
from app.extensions import db
from app.ideas.services import NewIdea, create_idea
from app.territories.models import Territory

_titles = itertools.count(1)
# A point inside Balvi town (its point-on-surface is computed by PostGIS in point_in()).
DESCRIPTION = "Ietvju trūkst, bērni iet pa brauktuvi uz skolu katru rītu."


def point_in(name: str) -> tuple[float, float]:
    """(lat, lon) of a point surely inside the named unit."""
    geom = func.ST_PointOnSurface(Territory.geom)
    row = db.session.execute(
        select(func.ST_Y(geom), func.ST_X(geom)).where(Territory.name == name)
    ).one()
    return row[0], row[1]


def category_id(slug: str = "roads") -> int:
    return db.session.scalar(select(Category.id).where(Category.slug == slug))


def territory_id(name: str) -> int:
    return db.session.scalar(select(Territory.id).where(Territory.name == name))


def make_idea(author, title: str | None = None, unit: str = "Balvi", at=None, **changes):
    """An idea written by `author`, committed; `at` = (lat, lon) or inside `unit`."""
    lat, lon = at or point_in(unit)
    data = NewIdea(
        title=title or f"Gājēju pāreja pie skolas {next(_titles)}",
        description=DESCRIPTION,
        category_id=category_id(),
        lat=lat,
        lon=lon,
    )
    idea = create_idea(data, author=author)
    for name, value in changes.items():
        setattr(idea, name, value)
    db.session.commit()
    return idea


def form_data(lat=None, lon=None, **overrides) -> dict:
    """A valid submission of the new-idea form."""
    data = {
        "title": "Soliņi pie ezera",
        "description": "Pie ezera nav kur apsēsties; daži soliņi palīdzētu vecākiem cilvēkiem.",
        "category": str(category_id("public-space")),
        "lat": "" if lat is None else str(lat),
        "lon": "" if lon is None else str(lon),
        "territory": "",
        "place_description": "",
        "submission_token": "tok-" + "a" * 20 + str(next(_titles)),
        "step": "check",
    }
    data.update(overrides)
    return data


def image_bytes(fmt: str = "JPEG", size=(64, 48), colour=(200, 30, 30), **save_args) -> bytes:
    buffer = io.BytesIO()
    mode = "RGBA" if fmt == "PNG" else "RGB"
    Image.new(mode, size, colour).save(buffer, fmt, **save_args)
    return buffer.getvalue()
