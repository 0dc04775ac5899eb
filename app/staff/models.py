"""Tasks of the municipality's development programme that ideas can be linked to."""

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.ideas.models import Idea, public_ideas_clause


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
