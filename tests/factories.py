"""Factories that make exactly the rows a test asks for."""

import itertools

from app.accounts.models import Role, User
from app.accounts.services import create_user as _create_user
from app.extensions import db
from app.territories.models import Territory

_counter = itertools.count(1)
PASSWORD = "correct horse battery"


def create_user(
    role: Role = Role.RESIDENT,
    email: str | None = None,
    display_name: str | None = None,
    confirmed: bool = True,
    locale: str = "lv",
    password: str = PASSWORD,
    territories: list[Territory] | None = None,
) -> User:
    number = next(_counter)
    user = _create_user(
        email or f"user{number}@example.lv",
        password,
        display_name or f"Iedzīvotājs {number}",
        locale=locale,
        role=role,
        confirmed=confirmed,
    )
    if territories:
        user.leader_of = list(territories)
    db.session.commit()
    return user


def territory(name: str) -> Territory:
    return db.session.query(Territory).filter_by(name=name).one()


def sign_in(client, user: User, password: str = PASSWORD, lang: str = "lv"):
    return client.post(
        f"/{lang}/account/sign-in",
        data={"email": user.email, "password": password},
        follow_redirects=False,
    )


# --- ideas ---------------------------------------------------------------------------------
BALVI = (27.26583, 57.1313)  # lon, lat: Balvi town centre


def create_idea(
    title: str = "Soliņi pie ezera",
    description: str = "Gar ezera krastu vajadzētu dažus soliņus atpūtai.",
    category: str = "public-space",
    lon: float | None = None,
    lat: float | None = None,
    author: User | None = None,
    status=None,
    hidden: bool = False,
    withdrawn: bool = False,
    awaiting_approval: bool = False,
    created_at=None,
    status_changed_at=None,
    support_count: int = 0,
    comment_count: int = 0,
):
    """One idea through the real service (territory from the trigger), then adjusted.

    Counters are set directly here to test sorting; the product keeps them by triggers.
    """
    from datetime import UTC, datetime

    from app.categories.models import Category
    from app.ideas.models import IdeaStatus
    from app.ideas.services import NewIdea
    from app.ideas.services import create_idea as _create_idea

    category_id = db.session.query(Category.id).filter_by(slug=category).scalar()
    idea = _create_idea(
        NewIdea(
            title=title,
            description=description,
            category_id=category_id,
            lon=BALVI[0] if lon is None else lon,
            lat=BALVI[1] if lat is None else lat,
        ),
        author,
    )
    now = datetime.now(UTC)
    if status is not None and IdeaStatus(status) is not IdeaStatus.SUBMITTED:
        idea.status = IdeaStatus(status)
        idea.status_changed_at = status_changed_at or now
    if hidden:
        idea.hidden_at = now
        idea.hidden_reason = "Test"
    if withdrawn:
        idea.withdrawn_at = now
    idea.awaiting_approval = awaiting_approval
    if created_at is not None:
        idea.created_at = created_at
    idea.support_count = support_count
    idea.comment_count = comment_count
    db.session.commit()
    db.session.refresh(idea)  # loaded now, so it stays readable after a request
    return idea


def create_many_ideas(count: int, bbox=(27.20, 57.10, 27.33, 57.16), status="submitted") -> None:
    """`count` public ideas at random points in `bbox`, in one INSERT … SELECT."""
    from sqlalchemy import text

    db.session.execute(
        text(
            """
            INSERT INTO ideas (title, description, category_id, geom, location_approximate,
                               author_anonymous, channel, status)
            SELECT 'Priekšlikums nr. ' || n, 'Apraksts, kas ir pietiekami garš priekšlikumam.',
                   (SELECT min(id) FROM categories),
                   ST_SetSRID(ST_MakePoint(:w + random() * (:e - :w),
                                           :s + random() * (:n - :s)), 4326),
                   false, false, 'online', CAST(:status AS idea_status)
            FROM generate_series(1, :count) AS n
            """
        ),
        {"count": count, "w": bbox[0], "s": bbox[1], "e": bbox[2], "n": bbox[3], "status": status},
    )
    db.session.commit()
