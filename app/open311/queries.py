"""Reads for Open311: services (our categories) and service requests (our public ideas)."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select, true

from app.categories.models import Category
from app.extensions import db
from app.i18n import localized
from app.ideas.models import Idea, IdeaStatus, IdeaStatusChange, public_ideas_clause
from app.open311.models import ApiKey
from app.territories.models import Municipality, Territory

# Open311 knows two states; our workflow maps onto them.
OPEN_STATUSES = (
    IdeaStatus.SUBMITTED,
    IdeaStatus.UNDER_REVIEW,
    IdeaStatus.ADOPTED,
    IdeaStatus.IN_PROGRESS,
)
CLOSED_STATUSES = (IdeaStatus.DONE, IdeaStatus.NOT_POSSIBLE, IdeaStatus.DUPLICATE)


def open311_status(status: IdeaStatus) -> str:
    return "closed" if status in CLOSED_STATUSES else "open"


def services() -> list[dict]:
    rows = db.session.scalars(
        select(Category).where(Category.active.is_(True)).order_by(Category.position, Category.id)
    )
    return [
        {
            "service_code": category.slug,
            "service_name": category.display_name(),
            "description": category.display_name(),
            "metadata": False,
            "type": "realtime",
            "keywords": category.slug.replace("-", ", "),
            "group": "Kopā",
        }
        for category in rows
    ]


def service_codes() -> set[str]:
    return set(db.session.scalars(select(Category.slug).where(Category.active.is_(True))))


@dataclass
class RequestFilter:
    service_request_ids: list[int] = field(default_factory=list)
    service_codes: list[str] = field(default_factory=list)
    status: str | None = None  # "open" | "closed"
    start: datetime | None = None
    end: datetime | None = None
    page: int = 1
    page_size: int = 100


def _agency() -> str:
    name = db.session.scalar(select(Municipality.name).order_by(Municipality.id))
    return name or "Kopā"


def service_requests(flt: RequestFilter) -> list[dict]:
    """Public ideas as Open311 service requests, newest first, one page at a time."""
    answer = (
        select(IdeaStatusChange.answer, IdeaStatusChange.answer_en)
        .where(IdeaStatusChange.idea_id == Idea.id, IdeaStatusChange.answer.is_not(None))
        .order_by(IdeaStatusChange.created_at.desc())
        .limit(1)
        .lateral("latest_answer")
    )
    stmt = (
        select(
            Idea.id,
            Idea.status,
            Idea.description,
            Idea.created_at,
            Idea.updated_at,
            Idea.place_description,
            func.ST_X(Idea.geom).label("lon"),
            func.ST_Y(Idea.geom).label("lat"),
            Category.slug,
            Category.name.label("category_lv"),
            Category.name_en.label("category_en"),
            Territory.name.label("territory"),
            answer.c.answer,
            answer.c.answer_en,
        )
        .join(Category, Category.id == Idea.category_id)
        .outerjoin(Territory, Territory.id == Idea.territory_id)
        .outerjoin(answer, true())
        .where(public_ideas_clause())
    )
    if flt.service_request_ids:
        stmt = stmt.where(Idea.id.in_(flt.service_request_ids))
    if flt.service_codes:
        stmt = stmt.where(Category.slug.in_(flt.service_codes))
    if flt.status == "open":
        stmt = stmt.where(Idea.status.in_(OPEN_STATUSES))
    elif flt.status == "closed":
        stmt = stmt.where(Idea.status.in_(CLOSED_STATUSES))
    if flt.start is not None:
        stmt = stmt.where(Idea.created_at >= flt.start)
    if flt.end is not None:
        stmt = stmt.where(Idea.created_at <= flt.end)
    stmt = (
        stmt.order_by(Idea.created_at.desc(), Idea.id.desc())
        .offset((flt.page - 1) * flt.page_size)
        .limit(flt.page_size)
    )
    agency = _agency()
    return [_as_request(row, agency) for row in db.session.execute(stmt)]


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def _as_request(row, agency: str) -> dict:
    return {
        "service_request_id": str(row.id),
        "status": open311_status(row.status),
        "status_notes": localized(row.answer, row.answer_en) or None,
        "service_name": localized(row.category_lv, row.category_en),
        "service_code": row.slug,
        "description": row.description,
        "agency_responsible": agency,
        "service_notice": None,
        "requested_datetime": _iso(row.created_at),
        "updated_datetime": _iso(row.updated_at),
        "expected_datetime": None,
        "address": row.place_description or row.territory,
        "address_id": None,
        "zipcode": None,
        "lat": round(row.lat, 6),
        "long": round(row.lon, 6),
        "media_url": None,
    }


def api_keys() -> list[ApiKey]:
    return list(
        db.session.scalars(
            select(ApiKey).order_by(ApiKey.revoked_at.desc().nullsfirst(), ApiKey.created_at.desc())
        )
    )
