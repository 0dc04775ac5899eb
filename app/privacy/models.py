"""The ids of deleted accounts, kept so a deletion can be re-applied after a backup restore."""

from datetime import datetime

from sqlalchemy import func
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class DeletedAccount(db.Model):
    __tablename__ = "deleted_accounts"

    # The former users.id; deliberately no foreign key, so a restore cannot cascade it away.
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    deleted_at: Mapped[datetime] = mapped_column(server_default=func.now())
    # users.created_at of the deleted account: after a restore rewound the id sequence, a new
    # account with the same id is told apart from the deleted one.
    account_created_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<DeletedAccount {self.id}>"
