"""API keys for Open311 clients: only a SHA-256 of the random token is stored."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.extensions import db


class ApiKey(db.Model):
    __tablename__ = "open311_api_keys"
    __table_args__ = (
        CheckConstraint("char_length(name) BETWEEN 2 AND 120", name="name_length"),
        CheckConstraint("char_length(key_hash) = 64", name="key_hash_sha256"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    # sha256 hex of the token; the token itself is shown once and never stored.
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters of the token, so an admin can tell keys apart.
    prefix: Mapped[str] = mapped_column(String(12))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    created_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<ApiKey {self.prefix} {self.name!r}>"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
