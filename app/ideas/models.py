"""Ideas (priekšlikumi) and what residents attach to them: photos, supports, comments, follows."""

import enum
from datetime import datetime

from geoalchemy2 import Geometry
from sqlalchemy import (
    CheckConstraint,
    Computed,
    Enum,
    ForeignKey,
    Index,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.categories.models import Category
from app.extensions import db
from app.territories.models import Territory


class IdeaStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    ADOPTED = "adopted"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    NOT_POSSIBLE = "not_possible"
    DUPLICATE = "duplicate"


# The workflow of PRODUCT.md: which status may follow which.
STATUS_TRANSITIONS: dict[IdeaStatus, set[IdeaStatus]] = {
    IdeaStatus.SUBMITTED: {IdeaStatus.UNDER_REVIEW, IdeaStatus.DUPLICATE, IdeaStatus.NOT_POSSIBLE},
    IdeaStatus.UNDER_REVIEW: {
        IdeaStatus.ADOPTED,
        IdeaStatus.NOT_POSSIBLE,
        IdeaStatus.DUPLICATE,
    },
    IdeaStatus.ADOPTED: {IdeaStatus.IN_PROGRESS, IdeaStatus.DONE, IdeaStatus.NOT_POSSIBLE},
    IdeaStatus.IN_PROGRESS: {IdeaStatus.DONE, IdeaStatus.NOT_POSSIBLE},
    IdeaStatus.DONE: set(),
    IdeaStatus.NOT_POSSIBLE: {IdeaStatus.UNDER_REVIEW},
    IdeaStatus.DUPLICATE: {IdeaStatus.UNDER_REVIEW},
}


class IdeaChannel(enum.StrEnum):
    ONLINE = "online"
    WORKSHOP = "workshop"
    PAPER = "paper"
    OPEN311 = "open311"


def _enum(enum_class, name):
    return Enum(enum_class, name=name, values_callable=lambda e: [m.value for m in e])


class Idea(db.Model):
    __tablename__ = "ideas"
    __table_args__ = (
        CheckConstraint("char_length(title) BETWEEN 5 AND 120", name="title_length"),
        CheckConstraint("char_length(description) BETWEEN 20 AND 5000", name="description_length"),
        CheckConstraint("support_count >= 0 AND comment_count >= 0", name="counters_positive"),
        CheckConstraint(
            "(status = 'duplicate') = (duplicate_of_id IS NOT NULL)", name="duplicate_has_original"
        ),
        Index("ix_ideas_geom", "geom", postgresql_using="gist"),
        Index("ix_ideas_search", "search_vector", postgresql_using="gin"),
        Index("ix_ideas_status_created", "status", "created_at"),
        Index("ix_ideas_created_at", "created_at"),
        Index("ix_ideas_support_count", "support_count"),
        # A leader's recently recorded ideas; almost every idea has no recorder.
        Index(
            "ix_ideas_entered_by_created",
            "entered_by_id",
            "created_at",
            postgresql_where=text("entered_by_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), index=True)
    geom = mapped_column(Geometry("POINT", srid=4326, spatial_index=False), nullable=False)
    # Placed at the unit's centre by the keyboard path: the place is described in words.
    location_approximate: Mapped[bool] = mapped_column(default=False)
    place_description: Mapped[str | None] = mapped_column(String(300))
    # Filled by a database trigger from the point (ST_Covers on territories).
    territory_id: Mapped[int | None] = mapped_column(
        ForeignKey("territories.id", ondelete="SET NULL"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    author_anonymous: Mapped[bool] = mapped_column(default=False)
    # A leader may record an idea collected at a workshop or on paper.
    channel: Mapped[IdeaChannel] = mapped_column(
        _enum(IdeaChannel, "idea_channel"), default=IdeaChannel.ONLINE
    )
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Where and when a recorded idea was collected, e.g. "Tilža development day, 12 November".
    collected_note: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[IdeaStatus] = mapped_column(
        _enum(IdeaStatus, "idea_status"), default=IdeaStatus.SUBMITTED
    )
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="SET NULL"))
    # A task of the development programme the idea feeds into (app/staff/models.py).
    programme_task_id: Mapped[int | None] = mapped_column(
        ForeignKey("programme_tasks.id", ondelete="SET NULL"), index=True
    )
    support_count: Mapped[int] = mapped_column(default=0, server_default="0")
    comment_count: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())
    status_changed_at: Mapped[datetime | None]
    first_answered_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    hidden_at: Mapped[datetime | None]
    hidden_reason: Mapped[str | None] = mapped_column(String(500))
    # Spam guard: a new account's idea with links waits for a moderator.
    awaiting_approval: Mapped[bool] = mapped_column(default=False, server_default="false")
    # Makes a double-clicked or re-posted form create one idea.
    submission_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    search_vector = mapped_column(
        TSVECTOR,
        Computed(
            "setweight(to_tsvector('simple', kopa_unaccent(coalesce(title, ''))), 'A') || "
            "setweight(to_tsvector('simple', kopa_unaccent(coalesce(description, ''))), 'B')",
            persisted=True,
        ),
    )

    category: Mapped[Category] = relationship()
    territory: Mapped[Territory | None] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    entered_by: Mapped[User | None] = relationship(foreign_keys=[entered_by_id])
    duplicate_of: Mapped["Idea | None"] = relationship(remote_side=[id])
    programme_task = relationship("ProgrammeTask")
    photos: Mapped[list["IdeaPhoto"]] = relationship(
        back_populates="idea", order_by="IdeaPhoto.position", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Idea {self.id} {self.status.value}>"

    @property
    def is_public(self) -> bool:
        return self.hidden_at is None and self.withdrawn_at is None and not self.awaiting_approval


# Trigram index for "similar titles", accent-insensitive (ē = e).
Index(
    "ix_ideas_title_trgm",
    func.kopa_unaccent(func.lower(Idea.title)).label("title_folded"),
    postgresql_using="gin",
    postgresql_ops={"title_folded": "gin_trgm_ops"},
)


def public_ideas_clause():
    """What anyone may see: not hidden, not withdrawn, not waiting for approval."""
    return (
        Idea.hidden_at.is_(None) & Idea.withdrawn_at.is_(None) & Idea.awaiting_approval.is_(False)
    )


class PhotoKind(enum.StrEnum):
    BEFORE = "before"
    AFTER = "after"  # added by staff when the idea is done


class IdeaPhoto(db.Model):
    __tablename__ = "idea_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    # Random file stem under UPLOAD_DIR; "<stem>-400.jpg" and "<stem>-1200.jpg" exist.
    stem: Mapped[str] = mapped_column(String(64), unique=True)
    width: Mapped[int]
    height: Mapped[int]
    alt_text: Mapped[str | None] = mapped_column(String(250))
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[PhotoKind] = mapped_column(
        _enum(PhotoKind, "photo_kind"), default=PhotoKind.BEFORE
    )
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    idea: Mapped[Idea] = relationship(back_populates="photos")

    def __repr__(self) -> str:
        return f"<IdeaPhoto {self.stem}>"


class Support(db.Model):
    __tablename__ = "supports"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    idea_id: Mapped[int] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


class Follow(db.Model):
    __tablename__ = "follows"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    idea_id: Mapped[int] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


class Comment(db.Model):
    __tablename__ = "comments"
    __table_args__ = (
        CheckConstraint("char_length(body) BETWEEN 1 AND 2000", name="body_length"),
        Index("ix_comments_idea_created", "idea_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    # Staff comments are marked as the municipality's official word.
    is_official: Mapped[bool] = mapped_column(default=False, server_default="false")
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    edited_at: Mapped[datetime | None]
    hidden_at: Mapped[datetime | None]
    hidden_reason: Mapped[str | None] = mapped_column(String(500))
    awaiting_approval: Mapped[bool] = mapped_column(default=False, server_default="false")
    submission_token: Mapped[str | None] = mapped_column(String(64), unique=True)

    idea: Mapped[Idea] = relationship()
    author: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<Comment {self.id} on idea {self.idea_id}>"


class IdeaStatusChange(db.Model):
    """One step of an idea's history, with the municipality's public answer."""

    __tablename__ = "idea_status_changes"
    __table_args__ = (Index("ix_idea_status_changes_idea_created", "idea_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    from_status: Mapped[IdeaStatus | None] = mapped_column(_enum(IdeaStatus, "idea_status"))
    to_status: Mapped[IdeaStatus] = mapped_column(_enum(IdeaStatus, "idea_status"))
    answer: Mapped[str | None] = mapped_column(Text)  # Latvian, required for a public answer
    answer_en: Mapped[str | None] = mapped_column(Text)
    internal_note: Mapped[str | None] = mapped_column(Text)  # never shown publicly
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    idea: Mapped[Idea] = relationship()
    actor: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<IdeaStatusChange {self.idea_id} {self.from_status}->{self.to_status}>"
