"""privacy: the ids of deleted accounts, re-applied after a backup restore

Revision ID: 0007_privacy
Revises: 0002_ideas
Create Date: 2026-11-25 18:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0007_privacy"
down_revision = "0002_ideas"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "deleted_accounts",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column(
            "deleted_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("account_created_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deleted_accounts")),
    )


def downgrade():
    op.drop_table("deleted_accounts")
