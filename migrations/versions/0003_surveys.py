"""surveys

Revision ID: 0003_surveys
Revises: 0002_ideas
Create Date: 2026-11-25 18:30:00

"""

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = "0003_surveys"
down_revision = "0002_ideas"
branch_labels = None
depends_on = None

ENUMS = ("question_kind", "response_channel", "survey_access", "survey_state")


def upgrade():
    op.create_table(
        "surveys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("title_en", sa.String(length=200), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("description_en", sa.Text(), nullable=True),
        sa.Column("state", sa.Enum("draft", "open", "closed", name="survey_state"), nullable=False),
        sa.Column("opens_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "access", sa.Enum("anonymous", "signed_in", name="survey_access"), nullable=False
        ),
        sa.Column("one_per_person", sa.Boolean(), server_default="true", nullable=False),
        sa.Column("results_public", sa.Boolean(), server_default="false", nullable=False),
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
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "char_length(title) BETWEEN 3 AND 200", name=op.f("ck_surveys_title_length")
        ),
        sa.CheckConstraint(
            "opens_at IS NULL OR closes_at IS NULL OR closes_at > opens_at",
            name=op.f("ck_surveys_dates_ordered"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_surveys_owner_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_surveys")),
    )
    op.create_index(op.f("ix_surveys_owner_id"), "surveys", ["owner_id"], unique=False)
    op.create_index("ix_surveys_state_closes", "surveys", ["state", "closes_at"], unique=False)
    op.create_table(
        "survey_participations",
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["surveys.id"],
            name=op.f("fk_survey_participations_survey_id_surveys"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("survey_id", "key_hash", name=op.f("pk_survey_participations")),
    )
    op.create_table(
        "survey_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("respondent_id", sa.Integer(), nullable=True),
        sa.Column(
            "channel",
            sa.Enum("online", "paper", "workshop", name="response_channel"),
            nullable=False,
        ),
        sa.Column("entered_by_id", sa.Integer(), nullable=True),
        sa.Column("territory_id", sa.Integer(), nullable=True),
        sa.Column(
            "submitted_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("submission_token", sa.String(length=64), nullable=True),
        sa.CheckConstraint(
            "channel = 'online' OR entered_by_id IS NOT NULL",
            name=op.f("ck_survey_responses_offline_has_enterer"),
        ),
        sa.ForeignKeyConstraint(
            ["entered_by_id"],
            ["users.id"],
            name=op.f("fk_survey_responses_entered_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["respondent_id"],
            ["users.id"],
            name=op.f("fk_survey_responses_respondent_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["surveys.id"],
            name=op.f("fk_survey_responses_survey_id_surveys"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["territory_id"],
            ["territories.id"],
            name=op.f("fk_survey_responses_territory_id_territories"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_responses")),
        sa.UniqueConstraint("submission_token", name=op.f("uq_survey_responses_submission_token")),
    )
    op.create_index(
        "ix_survey_responses_survey_respondent",
        "survey_responses",
        ["survey_id", "respondent_id"],
        unique=False,
    )
    op.create_index(
        "ix_survey_responses_survey_submitted",
        "survey_responses",
        ["survey_id", "submitted_at"],
        unique=False,
    )
    op.create_index(
        "ix_survey_responses_survey_territory",
        "survey_responses",
        ["survey_id", "territory_id"],
        unique=False,
    )
    op.create_table(
        "survey_sections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("title_en", sa.String(length=200), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("description_en", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["surveys.id"],
            name=op.f("fk_survey_sections_survey_id_surveys"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_sections")),
    )
    op.create_index(
        "ix_survey_sections_survey_position",
        "survey_sections",
        ["survey_id", "position"],
        unique=False,
    )
    op.create_table(
        "survey_territories",
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("territory_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["surveys.id"],
            name=op.f("fk_survey_territories_survey_id_surveys"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["territory_id"],
            ["territories.id"],
            name=op.f("fk_survey_territories_territory_id_territories"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("survey_id", "territory_id", name=op.f("pk_survey_territories")),
    )
    op.create_index(
        op.f("ix_survey_territories_territory_id"),
        "survey_territories",
        ["territory_id"],
        unique=False,
    )
    op.create_table(
        "survey_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "single",
                "multiple",
                "scale",
                "number",
                "short_text",
                "long_text",
                "map_point",
                "ranking",
                name="question_kind",
            ),
            nullable=False,
        ),
        sa.Column("prompt", sa.String(length=500), nullable=False),
        sa.Column("prompt_en", sa.String(length=500), nullable=True),
        sa.Column("help", sa.Text(), nullable=True),
        sa.Column("help_en", sa.Text(), nullable=True),
        sa.Column("required", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("min_value", sa.Numeric(), nullable=True),
        sa.Column("max_value", sa.Numeric(), nullable=True),
        sa.Column("min_choices", sa.Integer(), nullable=True),
        sa.Column("max_choices", sa.Integer(), nullable=True),
        sa.Column("scale_low_label", sa.String(length=100), nullable=True),
        sa.Column("scale_low_label_en", sa.String(length=100), nullable=True),
        sa.Column("scale_high_label", sa.String(length=100), nullable=True),
        sa.Column("scale_high_label_en", sa.String(length=100), nullable=True),
        sa.CheckConstraint(
            "char_length(prompt) BETWEEN 1 AND 500", name=op.f("ck_survey_questions_prompt_length")
        ),
        sa.CheckConstraint(
            "min_choices IS NULL OR max_choices IS NULL OR min_choices <= max_choices",
            name=op.f("ck_survey_questions_choices_ordered"),
        ),
        sa.CheckConstraint(
            "min_value IS NULL OR max_value IS NULL OR min_value <= max_value",
            name=op.f("ck_survey_questions_bounds_ordered"),
        ),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["survey_sections.id"],
            name=op.f("fk_survey_questions_section_id_survey_sections"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["surveys.id"],
            name=op.f("fk_survey_questions_survey_id_surveys"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_questions")),
    )
    op.create_index(
        "ix_survey_questions_section_position",
        "survey_questions",
        ["section_id", "position"],
        unique=False,
    )
    op.create_index(
        op.f("ix_survey_questions_survey_id"), "survey_questions", ["survey_id"], unique=False
    )
    op.create_table(
        "survey_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("value", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "geom",
            Geometry(
                geometry_type="POINT",
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
            ),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["survey_questions.id"],
            name=op.f("fk_survey_answers_question_id_survey_questions"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["survey_responses.id"],
            name=op.f("fk_survey_answers_response_id_survey_responses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_answers")),
        sa.UniqueConstraint(
            "response_id", "question_id", name="uq_survey_answers_response_question"
        ),
    )
    op.create_index(
        "ix_survey_answers_geom", "survey_answers", ["geom"], unique=False, postgresql_using="gist"
    )
    op.create_index("ix_survey_answers_question", "survey_answers", ["question_id"], unique=False)
    op.create_table(
        "survey_question_options",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("label_en", sa.String(length=200), nullable=True),
        sa.CheckConstraint(
            "char_length(label) BETWEEN 1 AND 200",
            name=op.f("ck_survey_question_options_label_length"),
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["survey_questions.id"],
            name=op.f("fk_survey_question_options_question_id_survey_questions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_question_options")),
    )
    op.create_index(
        "ix_survey_question_options_question_position",
        "survey_question_options",
        ["question_id", "position"],
        unique=False,
    )


def downgrade():
    op.drop_index(
        "ix_survey_question_options_question_position", table_name="survey_question_options"
    )
    op.drop_table("survey_question_options")
    op.drop_index("ix_survey_answers_question", table_name="survey_answers")
    op.drop_index("ix_survey_answers_geom", table_name="survey_answers", postgresql_using="gist")
    op.drop_table("survey_answers")
    op.drop_index(op.f("ix_survey_questions_survey_id"), table_name="survey_questions")
    op.drop_index("ix_survey_questions_section_position", table_name="survey_questions")
    op.drop_table("survey_questions")
    op.drop_index(op.f("ix_survey_territories_territory_id"), table_name="survey_territories")
    op.drop_table("survey_territories")
    op.drop_index("ix_survey_sections_survey_position", table_name="survey_sections")
    op.drop_table("survey_sections")
    op.drop_index("ix_survey_responses_survey_territory", table_name="survey_responses")
    op.drop_index("ix_survey_responses_survey_submitted", table_name="survey_responses")
    op.drop_index("ix_survey_responses_survey_respondent", table_name="survey_responses")
    op.drop_table("survey_responses")
    op.drop_table("survey_participations")
    op.drop_index("ix_surveys_state_closes", table_name="surveys")
    op.drop_index(op.f("ix_surveys_owner_id"), table_name="surveys")
    op.drop_table("surveys")
    for name in ENUMS:
        op.execute(f"DROP TYPE IF EXISTS {name}")
