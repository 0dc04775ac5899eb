"""Reads for one idea's page and for the similar-ideas step of submission.

(The map and list reads are in queries.py.)
"""

from sqlalchemy import exists, func, select, text
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.extensions import db
from app.ideas.models import (
    Comment,
    Follow,
    Idea,
    IdeaPhoto,
    IdeaStatusChange,
    Support,
)

SIMILAR_RADIUS_M = 300
SIMILAR_LIMIT = 8
COMMENTS_PER_PAGE = 50


def get_idea(idea_id: int) -> Idea | None:
    """An idea with what its page shows beside it (category, territory, author)."""
    return db.session.scalar(
        select(Idea)
        .where(Idea.id == idea_id)
        .options(
            joinedload(Idea.category),
            joinedload(Idea.territory),
            joinedload(Idea.author),
        )
    )


def can_see(idea: Idea, user) -> bool:
    """Public ideas for everyone; hidden, withdrawn or waiting ones for their author and staff."""
    if idea.is_public:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_staff or (idea.author_id is not None and idea.author_id == user.id)


def idea_by_token(token: str) -> Idea | None:
    return db.session.scalar(select(Idea).where(Idea.submission_token == token))


def idea_point(idea_id: int) -> tuple[float, float]:
    """(lat, lon) of an idea."""
    row = db.session.execute(
        select(func.ST_Y(Idea.geom), func.ST_X(Idea.geom)).where(Idea.id == idea_id)
    ).one()
    return row[0], row[1]


def status_history(idea_id: int) -> list[IdeaStatusChange]:
    """Every step of the idea's status, oldest first (internal notes are not for templates)."""
    return list(
        db.session.scalars(
            select(IdeaStatusChange)
            .where(IdeaStatusChange.idea_id == idea_id)
            .order_by(IdeaStatusChange.created_at, IdeaStatusChange.id)
        )
    )


def photos_of(idea_id: int) -> list[IdeaPhoto]:
    return list(
        db.session.scalars(
            select(IdeaPhoto)
            .where(IdeaPhoto.idea_id == idea_id)
            .order_by(IdeaPhoto.kind, IdeaPhoto.position, IdeaPhoto.id)
        )
    )


def visible_comments_clause(user):
    clause = Comment.hidden_at.is_(None) & Comment.awaiting_approval.is_(False)
    if getattr(user, "is_authenticated", False):
        # Authors see their own comment while it waits for a moderator.
        clause = clause | ((Comment.author_id == user.id) & Comment.hidden_at.is_(None))
    return clause


def comments_page(idea_id: int, user, page: int = 1) -> tuple[list[Comment], int]:
    """One page of visible comments, oldest first, and the number of pages."""
    where = (Comment.idea_id == idea_id) & visible_comments_clause(user)
    total = db.session.scalar(select(func.count()).select_from(Comment).where(where)) or 0
    pages = max(1, -(-total // COMMENTS_PER_PAGE))
    page = min(max(page, 1), pages)
    rows = db.session.scalars(
        select(Comment)
        .where(where)
        .options(joinedload(Comment.author))
        .order_by(Comment.created_at, Comment.id)
        .limit(COMMENTS_PER_PAGE)
        .offset((page - 1) * COMMENTS_PER_PAGE)
    )
    return list(rows), pages


def has_supported(user: User, idea_id: int) -> bool:
    return bool(
        db.session.scalar(
            select(exists().where((Support.user_id == user.id) & (Support.idea_id == idea_id)))
        )
    )


def is_following(user: User, idea_id: int) -> bool:
    return bool(
        db.session.scalar(
            select(exists().where((Follow.user_id == user.id) & (Follow.idea_id == idea_id)))
        )
    )


def public_photo(stem: str) -> tuple[IdeaPhoto, Idea] | None:
    """A stored photo and its idea, by file stem."""
    row = db.session.execute(
        select(IdeaPhoto, Idea)
        .join(Idea, Idea.id == IdeaPhoto.idea_id)
        .where(IdeaPhoto.stem == stem)
    ).first()
    return (row[0], row[1]) if row else None


_SIMILAR_SQL = text(
    """
    WITH candidates AS (
        SELECT i.id FROM ideas i
        WHERE CAST(:lon AS float8) IS NOT NULL
          AND i.geom && ST_Expand(ST_SetSRID(ST_MakePoint(:lon, :lat), 4326), 0.01)
          AND ST_DWithin(CAST(i.geom AS geography),
                         CAST(ST_SetSRID(ST_MakePoint(:lon, :lat), 4326) AS geography),
                         :radius)
          AND i.hidden_at IS NULL AND i.withdrawn_at IS NULL AND NOT i.awaiting_approval
        UNION
        SELECT i.id FROM ideas i
        WHERE kopa_unaccent(lower(i.title)) % kopa_unaccent(lower(:title))
          AND i.hidden_at IS NULL AND i.withdrawn_at IS NULL AND NOT i.awaiting_approval
    )
    SELECT i.id, i.title, i.status, i.support_count, i.location_approximate,
           c.name AS category_lv, c.name_en AS category_en,
           t.name AS territory_lv, t.name_en AS territory_en,
           CASE WHEN CAST(:lon AS float8) IS NULL THEN NULL ELSE
               round(ST_Distance(CAST(i.geom AS geography),
                     CAST(ST_SetSRID(ST_MakePoint(:lon, :lat), 4326) AS geography))::numeric)
           END AS distance_m,
           similarity(kopa_unaccent(lower(i.title)), kopa_unaccent(lower(:title))) AS likeness
    FROM candidates JOIN ideas i ON i.id = candidates.id
    JOIN categories c ON c.id = i.category_id
    LEFT JOIN territories t ON t.id = i.territory_id
    ORDER BY (CASE WHEN CAST(:lon AS float8) IS NULL THEN 0 ELSE
                  1 - LEAST(ST_Distance(CAST(i.geom AS geography),
                      CAST(ST_SetSRID(ST_MakePoint(:lon, :lat), 4326) AS geography)), :radius)
                      / :radius
              END) + similarity(kopa_unaccent(lower(i.title)), kopa_unaccent(lower(:title)))
             DESC, i.id DESC
    LIMIT :limit
    """
)


def similar_ideas(title: str, lon: float | None, lat: float | None) -> list[dict]:
    """Public ideas within 300 m of the point or with a similar title (trigram), best first.

    Both halves use an index: the GiST index on geom (bbox prefilter) and the trigram
    index on kopa_unaccent(lower(title)).
    """
    rows = db.session.execute(
        _SIMILAR_SQL,
        {
            "title": title,
            "lon": lon,
            "lat": lat,
            "radius": SIMILAR_RADIUS_M,
            "limit": SIMILAR_LIMIT,
        },
    ).mappings()
    return [dict(row) for row in rows]


__all__ = [
    "can_see",
    "comments_page",
    "get_idea",
    "has_supported",
    "idea_by_token",
    "idea_point",
    "is_following",
    "photos_of",
    "public_photo",
    "similar_ideas",
    "status_history",
]


RECENTLY_RECORDED = 10


def recently_recorded_by(user: User, limit: int = RECENTLY_RECORDED) -> list[Idea]:
    """The ideas a leader typed in most recently, to check a batch from one workshop."""
    return list(
        db.session.scalars(
            select(Idea)
            .where(Idea.entered_by_id == user.id)
            .options(joinedload(Idea.territory))
            .order_by(Idea.created_at.desc(), Idea.id.desc())
            .limit(limit)
        )
    )
