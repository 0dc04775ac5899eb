"""Users, their roles and the territories a community leader works for."""

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Column, Enum, ForeignKey, String, Table, func
from sqlalchemy.dialects.postgresql import CITEXT
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.territories.models import Territory


class Role(enum.StrEnum):
    RESIDENT = "resident"
    LEADER = "leader"
    STAFF = "staff"
    ADMIN = "admin"


ROLE_RANK = {Role.RESIDENT: 0, Role.LEADER: 1, Role.STAFF: 2, Role.ADMIN: 3}


class NotificationFrequency(enum.StrEnum):
    """How a user wants to hear about the ideas they wrote or follow."""

    IMMEDIATELY = "immediately"
    WEEKLY = "weekly"
    NEVER = "never"


leader_territories = Table(
    "leader_territories",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("territory_id", ForeignKey("territories.id", ondelete="CASCADE"), primary_key=True),
)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(CITEXT, unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    display_name: Mapped[str] = mapped_column(String(80))
    locale: Mapped[str] = mapped_column(String(5), default="lv", server_default="lv")
    role: Mapped[Role] = mapped_column(
        Enum(Role, name="user_role", values_callable=lambda e: [m.value for m in e]),
        default=Role.RESIDENT,
        server_default=Role.RESIDENT.value,
    )
    home_territory_id: Mapped[int | None] = mapped_column(
        ForeignKey("territories.id", ondelete="SET NULL")
    )
    email_confirmed_at: Mapped[datetime | None]
    suspended_at: Mapped[datetime | None]
    suspended_reason: Mapped[str | None] = mapped_column(String(500))
    notification_frequency: Mapped[NotificationFrequency] = mapped_column(
        Enum(
            NotificationFrequency,
            name="notification_frequency",
            values_callable=lambda e: [m.value for m in e],
        ),
        default=NotificationFrequency.IMMEDIATELY,
        server_default=NotificationFrequency.IMMEDIATELY.value,
    )
    # Rotated at sign-in and sign-out so an old session cookie is dead.
    session_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    home_territory: Mapped[Territory | None] = relationship()
    leader_of: Mapped[list[Territory]] = relationship(
        secondary=leader_territories, order_by=Territory.name
    )

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role.value}>"

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_deleted(self) -> bool:
        """Anonymised by account deletion (see app.privacy.services.delete_account)."""
        return self.email.endswith("@deleted.invalid")

    @property
    def public_name(self) -> str:
        """The name shown to others, in the reader's language for deleted accounts."""
        from app.i18n import _

        return _("Deleted user") if self.is_deleted else self.display_name

    @property
    def is_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    @property
    def is_suspended(self) -> bool:
        return self.suspended_at is not None

    def has_role(self, role: Role) -> bool:
        """Roles are ranked: an admin can do what staff can, staff what a leader can."""
        return ROLE_RANK[self.role] >= ROLE_RANK[role]

    @property
    def is_staff(self) -> bool:
        return self.has_role(Role.STAFF)

    def leads(self, territory_id: int | None) -> bool:
        if self.is_staff:
            return True
        return self.role == Role.LEADER and any(t.id == territory_id for t in self.leader_of)
