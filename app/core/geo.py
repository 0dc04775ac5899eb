"""Geometry helpers shared by features: parsing coordinates and checking the municipality."""

import math

from sqlalchemy import exists, func, select

from app.extensions import db
from app.territories.models import Territory

# Generous bounds of Latvia: anything outside is surely a typo or an attack.
LATVIA_BOUNDS = (20.9, 55.6, 28.3, 58.1)


def parse_coordinate(value) -> float | None:
    """A finite float from user input, or None (empty, text, NaN, Infinity, 1e309…)."""
    if value is None:
        return None
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def point_sql(lon: float, lat: float):
    return func.ST_SetSRID(func.ST_MakePoint(lon, lat), 4326)


def inside_municipality(lon: float, lat: float) -> bool:
    """True when some territorial unit covers the point."""
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return False
    return bool(
        db.session.scalar(
            select(exists().where(func.ST_Covers(Territory.geom, point_sql(lon, lat))))
        )
    )
