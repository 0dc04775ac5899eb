"""Writes for ideas. Services flush; the view (or CLI) commits once."""

from dataclasses import dataclass

from sqlalchemy import select

from app.accounts.models import User
from app.core.geo import inside_municipality, point_sql
from app.extensions import db
from app.i18n import _l
from app.ideas.models import Idea, IdeaChannel, IdeaStatus, IdeaStatusChange
from app.territories.models import Territory

TITLE_MIN, TITLE_MAX = 5, 120
DESCRIPTION_MIN, DESCRIPTION_MAX = 20, 5000


class IdeaValidationError(ValueError):
    """Carries field -> localized message, for forms and for Open311's error format."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass
class NewIdea:
    title: str
    description: str
    category_id: int
    lon: float | None = None
    lat: float | None = None
    # The keyboard path: no point, a unit and words that describe the place.
    territory_id: int | None = None
    place_description: str | None = None
    author_anonymous: bool = False
    channel: IdeaChannel = IdeaChannel.ONLINE
    submission_token: str | None = None


def validate_new_idea(data: NewIdea) -> dict[str, str]:
    """Every rule the form checks, checked again here (Open311 comes through here too)."""
    errors: dict[str, str] = {}
    title = (data.title or "").strip()
    description = (data.description or "").strip()
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        errors["title"] = str(_l("The title must be 5 to 120 characters long."))
    if not DESCRIPTION_MIN <= len(description) <= DESCRIPTION_MAX:
        errors["description"] = str(_l("The description must be 20 to 5,000 characters long."))
    from app.categories.models import Category

    if not data.category_id or db.session.get(Category, data.category_id) is None:
        errors["category"] = str(_l("Please choose a category."))
    if data.lon is None or data.lat is None:
        if not data.territory_id:
            errors["location"] = str(
                _l("Please pin the place on the map, or choose the territorial unit.")
            )
        elif db.session.get(Territory, data.territory_id) is None:
            errors["location"] = str(_l("Please choose a territorial unit from the list."))
    elif not inside_municipality(data.lon, data.lat):
        errors["location"] = str(_l("The place must be inside the municipality."))
    return errors


def create_idea(data: NewIdea, author: User | None, entered_by: User | None = None) -> Idea:
    """Validate and add an idea; raises IdeaValidationError. Idempotent per submission token."""
    if data.submission_token:
        existing = db.session.scalar(
            select(Idea).where(Idea.submission_token == data.submission_token)
        )
        if existing is not None:
            return existing
    errors = validate_new_idea(data)
    if errors:
        raise IdeaValidationError(errors)
    if data.lon is not None and data.lat is not None:
        geom = point_sql(data.lon, data.lat)
        approximate = False
    else:
        territory = db.session.get(Territory, data.territory_id)
        geom = territory.centre
        approximate = True
    idea = Idea(
        title=data.title.strip(),
        description=data.description.strip(),
        category_id=data.category_id,
        geom=geom,
        location_approximate=approximate,
        place_description=(data.place_description or "").strip() or None,
        author=author,
        author_anonymous=data.author_anonymous,
        channel=data.channel,
        entered_by=entered_by,
        status=IdeaStatus.SUBMITTED,
        submission_token=data.submission_token,
    )
    db.session.add(idea)
    db.session.flush()
    db.session.add(IdeaStatusChange(idea_id=idea.id, from_status=None, to_status=idea.status))
    db.session.flush()
    db.session.refresh(idea)  # territory_id comes from the database trigger
    return idea
