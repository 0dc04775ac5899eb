"""notifications and moderation: outbox, digest items, reports, users.notification_frequency

Revision ID: 0005_notifications_moderation
Revises: 0002_ideas
Create Date: 2026-11-25 18:20:00

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005_notifications_moderation"
down_revision = "0002_ideas"
branch_labels = None
depends_on = None

ENUMS = (
    ("notification_frequency", ("immediately", "weekly", "never")),
    ("outbox_status", ("pending", "sent", "failed")),
    ("report_kind", ("idea", "comment")),
    ("report_reason", ("spam", "offensive", "personal_data", "off_topic", "other")),
    ("report_status", ("open", "resolved", "dismissed")),
)


def _enum(name):
    values = dict(ENUMS)[name]
    return postgresql.ENUM(*values, name=name, create_type=False)


def upgrade():
    bind = op.get_bind()
    for name, values in ENUMS:
        postgresql.ENUM(*values, name=name).create(bind, checkfirst=True)

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "notification_frequency",
                _enum("notification_frequency"),
                server_default="immediately",
                nullable=False,
            )
        )

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.Column("template", sa.String(length=80), nullable=False),
        sa.Column(
            "context",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="{}",
            nullable=False,
        ),
        sa.Column("status", _enum("outbox_status"), server_default="pending", nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column(
            "next_attempt_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("dedupe_key", sa.String(length=200), nullable=False),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_outbox_attempts_positive")),
        sa.CheckConstraint(
            "(status = 'sent') = (sent_at IS NOT NULL)", name=op.f("ck_outbox_sent_has_time")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_outbox_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_outbox_dedupe_key")),
    )
    op.create_index(
        "ix_outbox_due",
        "outbox",
        ["next_attempt_at"],
        unique=False,
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.create_index(op.f("ix_outbox_user_id"), "outbox", ["user_id"], unique=False)

    op.create_table(
        "digest_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=True),
        sa.Column(
            "context",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="{}",
            nullable=False,
        ),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.Column("dedupe_key", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["idea_id"], ["ideas.id"], name=op.f("fk_digest_items_idea_id_ideas"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["outbox_id"],
            ["outbox.id"],
            name=op.f("fk_digest_items_outbox_id_outbox"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_digest_items_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_items")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_digest_items_dedupe_key")),
    )
    op.create_index(op.f("ix_digest_items_outbox_id"), "digest_items", ["outbox_id"], unique=False)
    op.create_index(
        "ix_digest_items_waiting",
        "digest_items",
        ["user_id", "created_at"],
        unique=False,
        postgresql_where=sa.text("outbox_id IS NULL"),
    )

    op.create_table(
        "reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=True),
        sa.Column("kind", _enum("report_kind"), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=True),
        sa.Column("comment_id", sa.Integer(), nullable=True),
        sa.Column("reason", _enum("report_reason"), nullable=False),
        sa.Column("details", sa.String(length=1000), nullable=True),
        sa.Column("status", _enum("report_status"), server_default="open", nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("handled_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(kind = 'idea' AND idea_id IS NOT NULL AND comment_id IS NULL) OR "
            "(kind = 'comment' AND comment_id IS NOT NULL AND idea_id IS NULL)",
            name=op.f("ck_reports_one_target"),
        ),
        sa.CheckConstraint("char_length(details) <= 1000", name=op.f("ck_reports_details_length")),
        sa.ForeignKeyConstraint(
            ["comment_id"],
            ["comments.id"],
            name=op.f("fk_reports_comment_id_comments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["handled_by_id"],
            ["users.id"],
            name=op.f("fk_reports_handled_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["idea_id"], ["ideas.id"], name=op.f("fk_reports_idea_id_ideas"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["reporter_id"],
            ["users.id"],
            name=op.f("fk_reports_reporter_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reports")),
    )
    op.create_index(op.f("ix_reports_comment_id"), "reports", ["comment_id"], unique=False)
    op.create_index(op.f("ix_reports_idea_id"), "reports", ["idea_id"], unique=False)
    op.create_index(
        "ix_reports_reporter_created", "reports", ["reporter_id", "created_at"], unique=False
    )
    op.create_index("ix_reports_status_created", "reports", ["status", "created_at"], unique=False)
    op.create_index(
        "uq_reports_open_comment",
        "reports",
        ["reporter_id", "comment_id"],
        unique=True,
        postgresql_where=sa.text("status = 'open' AND comment_id IS NOT NULL"),
    )
    op.create_index(
        "uq_reports_open_idea",
        "reports",
        ["reporter_id", "idea_id"],
        unique=True,
        postgresql_where=sa.text("status = 'open' AND idea_id IS NOT NULL"),
    )


def downgrade():
    op.drop_table("reports")
    op.drop_table("digest_items")
    op.drop_table("outbox")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("notification_frequency")
    bind = op.get_bind()
    for name, values in reversed(ENUMS):
        postgresql.ENUM(*values, name=name).drop(bind, checkfirst=True)
