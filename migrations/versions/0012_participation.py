"""participation dashboard: index-only counts of ideas, supports and a unit's latest idea

The staff participation page counts published ideas per unit, category, channel and month,
and joins supports and comments to their idea's unit. ix_ideas_participation carries those
columns so the counts and the joins read the index alone; ix_ideas_territory_created finds a
unit's latest idea with one short scan; ix_supports_created limits supports to a period.

Revision ID: 0012_participation
Revises: 0011_recorded_ideas
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_participation"
down_revision = "0011_recorded_ideas"
branch_labels = None
depends_on = None

PUBLISHED = "hidden_at IS NULL AND withdrawn_at IS NULL AND NOT awaiting_approval"


def upgrade():
    op.create_index(
        "ix_ideas_participation",
        "ideas",
        ["created_at"],
        unique=False,
        postgresql_where=sa.text(PUBLISHED),
        postgresql_include=["id", "territory_id", "category_id", "channel", "author_id"],
    )
    op.create_index(
        "ix_ideas_territory_created",
        "ideas",
        ["territory_id", "created_at"],
        unique=False,
        postgresql_where=sa.text(PUBLISHED),
    )
    op.create_index(
        "ix_supports_created",
        "supports",
        ["created_at"],
        unique=False,
        postgresql_include=["idea_id", "user_id"],
    )


def downgrade():
    op.drop_index("ix_supports_created", table_name="supports")
    op.drop_index("ix_ideas_territory_created", table_name="ideas")
    op.drop_index("ix_ideas_participation", table_name="ideas")
