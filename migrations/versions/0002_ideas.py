"""ideas

Revision ID: 0002_ideas
Revises: 0001_foundation
Create Date: 2026-11-25 18:05:01.586161

"""

from alembic import op
import sqlalchemy as sa
from geoalchemy2 import Geometry
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = "0002_ideas"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "ideas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column(
            "geom",
            Geometry(
                geometry_type="POINT",
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
                nullable=False,
            ),
            nullable=False,
        ),
        sa.Column("location_approximate", sa.Boolean(), nullable=False),
        sa.Column("place_description", sa.String(length=300), nullable=True),
        sa.Column("territory_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("author_anonymous", sa.Boolean(), nullable=False),
        sa.Column(
            "channel",
            sa.Enum("online", "workshop", "paper", "open311", name="idea_channel"),
            nullable=False,
        ),
        sa.Column("entered_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "submitted",
                "under_review",
                "adopted",
                "in_progress",
                "done",
                "not_possible",
                "duplicate",
                name="idea_status",
            ),
            nullable=False,
        ),
        sa.Column("duplicate_of_id", sa.Integer(), nullable=True),
        sa.Column("support_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("comment_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("status_changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hidden_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hidden_reason", sa.String(length=500), nullable=True),
        sa.Column("awaiting_approval", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("submission_token", sa.String(length=64), nullable=True),
        sa.Column(
            "search_vector",
            postgresql.TSVECTOR(),
            sa.Computed(
                "setweight(to_tsvector('simple', kopa_unaccent(coalesce(title, ''))), 'A') || setweight(to_tsvector('simple', kopa_unaccent(coalesce(description, ''))), 'B')",
                persisted=True,
            ),
            nullable=True,
        ),
        sa.CheckConstraint(
            "(status = 'duplicate') = (duplicate_of_id IS NOT NULL)",
            name=op.f("ck_ideas_duplicate_has_original"),
        ),
        sa.CheckConstraint(
            "char_length(description) BETWEEN 20 AND 5000", name=op.f("ck_ideas_description_length")
        ),
        sa.CheckConstraint(
            "char_length(title) BETWEEN 5 AND 120", name=op.f("ck_ideas_title_length")
        ),
        sa.CheckConstraint(
            "support_count >= 0 AND comment_count >= 0", name=op.f("ck_ideas_counters_positive")
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_ideas_author_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["category_id"], ["categories.id"], name=op.f("fk_ideas_category_id_categories")
        ),
        sa.ForeignKeyConstraint(
            ["duplicate_of_id"],
            ["ideas.id"],
            name=op.f("fk_ideas_duplicate_of_id_ideas"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["entered_by_id"],
            ["users.id"],
            name=op.f("fk_ideas_entered_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["territory_id"],
            ["territories.id"],
            name=op.f("fk_ideas_territory_id_territories"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ideas")),
        sa.UniqueConstraint("submission_token", name=op.f("uq_ideas_submission_token")),
    )
    with op.batch_alter_table("ideas", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ideas_author_id"), ["author_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_ideas_category_id"), ["category_id"], unique=False)
        batch_op.create_index("ix_ideas_created_at", ["created_at"], unique=False)
        batch_op.create_index("ix_ideas_geom", ["geom"], unique=False, postgresql_using="gist")
        batch_op.create_index(
            "ix_ideas_search", ["search_vector"], unique=False, postgresql_using="gin"
        )
        batch_op.create_index("ix_ideas_status_created", ["status", "created_at"], unique=False)
        batch_op.create_index("ix_ideas_support_count", ["support_count"], unique=False)
        batch_op.create_index(batch_op.f("ix_ideas_territory_id"), ["territory_id"], unique=False)
    op.execute(
        "CREATE INDEX ix_ideas_title_trgm ON ideas USING gin (kopa_unaccent(lower(title)) gin_trgm_ops)"
    )

    op.create_table(
        "comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("is_official", sa.Boolean(), server_default="false", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hidden_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hidden_reason", sa.String(length=500), nullable=True),
        sa.Column("awaiting_approval", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("submission_token", sa.String(length=64), nullable=True),
        sa.CheckConstraint(
            "char_length(body) BETWEEN 1 AND 2000", name=op.f("ck_comments_body_length")
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_comments_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["idea_id"], ["ideas.id"], name=op.f("fk_comments_idea_id_ideas"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comments")),
        sa.UniqueConstraint("submission_token", name=op.f("uq_comments_submission_token")),
    )
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_comments_author_id"), ["author_id"], unique=False)
        batch_op.create_index("ix_comments_idea_created", ["idea_id", "created_at"], unique=False)

    op.create_table(
        "follows",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["idea_id"], ["ideas.id"], name=op.f("fk_follows_idea_id_ideas"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_follows_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "idea_id", name=op.f("pk_follows")),
    )
    with op.batch_alter_table("follows", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follows_idea_id"), ["idea_id"], unique=False)

    op.create_table(
        "idea_photos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("stem", sa.String(length=64), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("alt_text", sa.String(length=250), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Enum("before", "after", name="photo_kind"), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["idea_id"], ["ideas.id"], name=op.f("fk_idea_photos_idea_id_ideas"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["users.id"],
            name=op.f("fk_idea_photos_uploaded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idea_photos")),
        sa.UniqueConstraint("stem", name=op.f("uq_idea_photos_stem")),
    )
    with op.batch_alter_table("idea_photos", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_idea_photos_idea_id"), ["idea_id"], unique=False)

    op.create_table(
        "idea_status_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column(
            "from_status",
            sa.Enum(
                "submitted",
                "under_review",
                "adopted",
                "in_progress",
                "done",
                "not_possible",
                "duplicate",
                name="idea_status",
            ),
            nullable=True,
        ),
        sa.Column(
            "to_status",
            sa.Enum(
                "submitted",
                "under_review",
                "adopted",
                "in_progress",
                "done",
                "not_possible",
                "duplicate",
                name="idea_status",
            ),
            nullable=False,
        ),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answer_en", sa.Text(), nullable=True),
        sa.Column("internal_note", sa.Text(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["users.id"],
            name=op.f("fk_idea_status_changes_actor_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["idea_id"],
            ["ideas.id"],
            name=op.f("fk_idea_status_changes_idea_id_ideas"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idea_status_changes")),
    )
    with op.batch_alter_table("idea_status_changes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_idea_status_changes_idea_created", ["idea_id", "created_at"], unique=False
        )

    op.create_table(
        "supports",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["idea_id"], ["ideas.id"], name=op.f("fk_supports_idea_id_ideas"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_supports_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "idea_id", name=op.f("pk_supports")),
    )
    with op.batch_alter_table("supports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_supports_idea_id"), ["idea_id"], unique=False)
    op.execute(TRIGGERS)


TRIGGERS = """
-- The database, not the application, decides which unit an idea lies in.
CREATE FUNCTION ideas_assign_territory() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.territory_id := (
        SELECT t.id FROM territories t WHERE ST_Covers(t.geom, NEW.geom) ORDER BY t.id LIMIT 1
    );
    RETURN NEW;
END $$;
CREATE TRIGGER ideas_assign_territory BEFORE INSERT OR UPDATE OF geom ON ideas
    FOR EACH ROW EXECUTE FUNCTION ideas_assign_territory();

-- Counters stay right whatever code path adds or removes a support or comment.
CREATE FUNCTION supports_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE ideas SET support_count = support_count + 1 WHERE id = NEW.idea_id;
    ELSE
        UPDATE ideas SET support_count = support_count - 1 WHERE id = OLD.idea_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER supports_count AFTER INSERT OR DELETE ON supports
    FOR EACH ROW EXECUTE FUNCTION supports_count();

CREATE FUNCTION comments_count() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    target integer := CASE WHEN TG_OP = 'DELETE' THEN OLD.idea_id ELSE NEW.idea_id END;
BEGIN
    UPDATE ideas SET comment_count = (
        SELECT count(*) FROM comments c
        WHERE c.idea_id = target AND c.hidden_at IS NULL AND NOT c.awaiting_approval
    ) WHERE id = target;
    RETURN NULL;
END $$;
CREATE TRIGGER comments_count AFTER INSERT OR DELETE OR UPDATE OF hidden_at, awaiting_approval
    ON comments FOR EACH ROW EXECUTE FUNCTION comments_count();
"""


def downgrade():
    op.execute("DROP TRIGGER IF EXISTS comments_count ON comments")
    op.execute("DROP TRIGGER IF EXISTS supports_count ON supports")
    op.execute("DROP TRIGGER IF EXISTS ideas_assign_territory ON ideas")
    op.execute("DROP FUNCTION IF EXISTS comments_count()")
    op.execute("DROP FUNCTION IF EXISTS supports_count()")
    op.execute("DROP FUNCTION IF EXISTS ideas_assign_territory()")
    with op.batch_alter_table("supports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_supports_idea_id"))

    op.drop_table("supports")
    with op.batch_alter_table("idea_status_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_idea_status_changes_idea_created")

    op.drop_table("idea_status_changes")
    with op.batch_alter_table("idea_photos", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_idea_photos_idea_id"))

    op.drop_table("idea_photos")
    with op.batch_alter_table("follows", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follows_idea_id"))

    op.drop_table("follows")
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_index("ix_comments_idea_created")
        batch_op.drop_index(batch_op.f("ix_comments_author_id"))

    op.drop_table("comments")
    with op.batch_alter_table("ideas", schema=None) as batch_op:
        batch_op.drop_index("ix_ideas_title_trgm", postgresql_using="gin")
        batch_op.drop_index(batch_op.f("ix_ideas_territory_id"))
        batch_op.drop_index("ix_ideas_support_count")
        batch_op.drop_index("ix_ideas_status_created")
        batch_op.drop_index("ix_ideas_search", postgresql_using="gin")
        batch_op.drop_index("ix_ideas_geom", postgresql_using="gist")
        batch_op.drop_index("ix_ideas_created_at")
        batch_op.drop_index(batch_op.f("ix_ideas_category_id"))
        batch_op.drop_index(batch_op.f("ix_ideas_author_id"))

    op.drop_table("ideas")
    for enum_type in ("idea_status", "idea_channel", "photo_kind"):
        op.execute(f"DROP TYPE IF EXISTS {enum_type}")
