"""Tasks of the municipality's development programme that ideas can be linked to."""

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.ideas.models import Idea, Support, public_ideas_clause


class ProgrammeTask(db.Model):
    __tablename__ = "programme_tasks"
    __table_args__ = (
        CheckConstraint("char_length(code) BETWEEN 1 AND 20", name="code_length"),
        CheckConstraint("char_length(title) BETWEEN 3 AND 300", name="title_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The programme's own numbering, e.g. "RV1.2.3".
    code: Mapped[str] = mapped_column(String(20), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    def __repr__(self) -> str:
        return f"<ProgrammeTask {self.code}>"

    def display_title(self) -> str:
        from app.i18n import localized

        return localized(self.title, self.title_en)


# The staff queue: published ideas, unanswered first, oldest first. A partial index in that
# order lets a page of the queue stop after LIMIT rows; status is included for the filter.
Index(
    "ix_ideas_staff_queue",
    Idea.first_answered_at.is_not(None).label("answered"),
    Idea.created_at,
    Idea.id,
    postgresql_where=public_ideas_clause(),
    postgresql_include=["status"],
)


# The participation dashboard (app/staff/participation.py) counts published ideas per unit,
# category, channel and month, and joins supports and comments to their idea's unit: this
# narrow index answers all of it from the index alone, by a range on created_at or whole.
Index(
    "ix_ideas_participation",
    Idea.created_at,
    postgresql_where=public_ideas_clause(),
    postgresql_include=["id", "territory_id", "category_id", "channel", "author_id"],
)
# A unit's latest published idea, ever: one short backward index scan per unit.
Index(
    "ix_ideas_territory_created",
    Idea.territory_id,
    Idea.created_at,
    postgresql_where=public_ideas_clause(),
)
# Supports given in a period, with what the dashboard needs to join and count them.
Index(
    "ix_supports_created",
    Support.created_at,
    postgresql_include=["idea_id", "user_id"],
)
