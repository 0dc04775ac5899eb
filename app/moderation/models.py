"""Reports of ideas and comments, made by signed-in residents for the moderators."""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, Enum, ForeignKey, Index, String, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.extensions import db


def _enum(enum_class, name):
    return Enum(enum_class, name=name, values_callable=lambda e: [m.value for m in e])


class ReportKind(enum.StrEnum):
    IDEA = "idea"
    COMMENT = "comment"


class ReportReason(enum.StrEnum):
    SPAM = "spam"
    OFFENSIVE = "offensive"
    PERSONAL_DATA = "personal_data"
    OFF_TOPIC = "off_topic"
    OTHER = "other"


class ReportStatus(enum.StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"  # a moderator acted on the content
    DISMISSED = "dismissed"  # a moderator found nothing wrong


class Report(db.Model):
    __tablename__ = "reports"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'idea' AND idea_id IS NOT NULL AND comment_id IS NULL) OR "
            "(kind = 'comment' AND comment_id IS NOT NULL AND idea_id IS NULL)",
            name="one_target",
        ),
        CheckConstraint("char_length(details) <= 1000", name="details_length"),
        # One open report per person and target: reporting again changes nothing.
        Index(
            "uq_reports_open_idea",
            "reporter_id",
            "idea_id",
            unique=True,
            postgresql_where=text("status = 'open' AND idea_id IS NOT NULL"),
        ),
        Index(
            "uq_reports_open_comment",
            "reporter_id",
            "comment_id",
            unique=True,
            postgresql_where=text("status = 'open' AND comment_id IS NOT NULL"),
        ),
        Index("ix_reports_status_created", "status", "created_at"),
        Index("ix_reports_reporter_created", "reporter_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[ReportKind] = mapped_column(_enum(ReportKind, "report_kind"))
    idea_id: Mapped[int | None] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), index=True
    )
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[ReportReason] = mapped_column(_enum(ReportReason, "report_reason"))
    details: Mapped[str | None] = mapped_column(String(1000))
    status: Mapped[ReportStatus] = mapped_column(
        _enum(ReportStatus, "report_status"),
        default=ReportStatus.OPEN,
        server_default=ReportStatus.OPEN.value,
    )
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    handled_at: Mapped[datetime | None]
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id])
    handled_by: Mapped[User | None] = relationship(foreign_keys=[handled_by_id])

    def __repr__(self) -> str:
        return f"<Report {self.id} {self.kind.value} {self.status.value}>"
