"""Merge the feature branches that grew side by side from 0002_ideas.

Revision ID: 0008_merge_features
Revises: 0003_surveys, 0004_staff, 0005_notifications_moderation, 0006_open311, 0007_privacy
"""

revision = "0008_merge_features"
down_revision = (
    "0003_surveys",
    "0004_staff",
    "0005_notifications_moderation",
    "0006_open311",
    "0007_privacy",
)
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
