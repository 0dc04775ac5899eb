"""recorded ideas: where and when a leader collected an idea, and their recent entries

Leaders type in ideas collected at workshops or on paper (channel workshop/paper, entered_by).
collected_note says where and when ("Tilža development day, 12 November"); a partial index
lists a leader's recent entries without touching the many ideas that have no recorder.

Revision ID: 0011_recorded_ideas
Revises: 0009_survey_results
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_recorded_ideas"
down_revision = "0009_survey_results"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("ideas", sa.Column("collected_note", sa.String(length=200), nullable=True))
    op.create_index(
        "ix_ideas_entered_by_created",
        "ideas",
        ["entered_by_id", "created_at"],
        unique=False,
        postgresql_where=sa.text("entered_by_id IS NOT NULL"),
    )


def downgrade():
    op.drop_index(
        "ix_ideas_entered_by_created",
        table_name="ideas",
        postgresql_where=sa.text("entered_by_id IS NOT NULL"),
    )
    op.drop_column("ideas", "collected_note")
