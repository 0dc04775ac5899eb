"""survey results: typed copies of answers filled by a trigger, and a results version per survey

Results of a survey with 100,000 responses were read out of the JSON values and joined to the
responses for every breakdown. The database now keeps typed copies beside each value, filled by
a trigger whoever inserts the row (the app, a bulk INSERT … SELECT, a restore), and an index on
the question that carries them, so one index-only pass aggregates a whole survey.
surveys.results_version moves on with every change to a survey's responses or answers, so
cached results are keyed to exactly one state.

Revision ID: 0009_survey_results
Revises: 0008_merge_features
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0009_survey_results"
down_revision = "0008_merge_features"
branch_labels = None
depends_on = None

RESULT_COLUMNS = ["response_id", "territory_id", "choice", "choices", "number"]

TRIGGERS = """
-- Typed copies of an answer for the results; the question's kind says how to read the value.
-- A value that does not fit its kind (a fraction for an option id) is refused, not guessed at.
CREATE FUNCTION survey_answers_typed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    question_kind text := (SELECT kind::text FROM survey_questions WHERE id = NEW.question_id);
BEGIN
    NEW.choice := NULL;
    NEW.choices := NULL;
    NEW.number := NULL;
    IF question_kind IN ('single', 'scale') AND jsonb_typeof(NEW.value) = 'number' THEN
        NEW.choice := (NEW.value #>> '{}')::integer;
    END IF;
    IF question_kind IN ('number', 'scale') AND jsonb_typeof(NEW.value) = 'number' THEN
        NEW.number := (NEW.value #>> '{}')::numeric;
    END IF;
    IF question_kind IN ('multiple', 'ranking') AND jsonb_typeof(NEW.value) = 'array' THEN
        NEW.choices := ARRAY(
            SELECT e.v::integer
            FROM jsonb_array_elements_text(NEW.value) WITH ORDINALITY AS e(v, position)
            ORDER BY e.position
        );
    END IF;
    NEW.territory_id := (SELECT territory_id FROM survey_responses WHERE id = NEW.response_id);
    RETURN NEW;
END $$;
CREATE TRIGGER survey_answers_typed
    BEFORE INSERT OR UPDATE OF value, question_id, response_id ON survey_answers
    FOR EACH ROW EXECUTE FUNCTION survey_answers_typed();

-- The copied unit follows the response's.
CREATE FUNCTION survey_responses_territory() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE survey_answers SET territory_id = NEW.territory_id WHERE response_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER survey_responses_territory
    AFTER UPDATE OF territory_id ON survey_responses
    FOR EACH ROW WHEN (OLD.territory_id IS DISTINCT FROM NEW.territory_id)
    EXECUTE FUNCTION survey_responses_territory();

-- A question's kind says how its values read (the builder refuses the change once there are
-- answers, but any other writer is covered too).
CREATE FUNCTION survey_questions_kind() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE survey_answers SET value = value WHERE question_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER survey_questions_kind
    AFTER UPDATE OF kind ON survey_questions
    FOR EACH ROW WHEN (OLD.kind IS DISTINCT FROM NEW.kind)
    EXECUTE FUNCTION survey_questions_kind();

-- Any change to a survey's responses or answers moves its results_version on, so results cached
-- under a version are never shown once they are out of date. Once per statement, not per row:
-- a bulk load bumps each survey once. (Online answers already lock the survey row.)
CREATE FUNCTION surveys_bump_results_from_responses() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE surveys SET results_version = results_version + 1
    WHERE id IN (SELECT survey_id FROM changed_rows);
    RETURN NULL;
END $$;
CREATE FUNCTION surveys_bump_results_from_answers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE surveys SET results_version = results_version + 1
    WHERE id IN (SELECT q.survey_id FROM survey_questions q
                 WHERE q.id IN (SELECT question_id FROM changed_rows));
    RETURN NULL;
END $$;
"""

# Transition tables allow one event per trigger: (table, event, transition, function).
VERSION_TRIGGERS = [
    (table, event, "NEW" if event != "DELETE" else "OLD", function)
    for table, function in (
        ("survey_responses", "surveys_bump_results_from_responses"),
        ("survey_answers", "surveys_bump_results_from_answers"),
    )
    for event in ("INSERT", "UPDATE", "DELETE")
]


def _version_trigger_name(table: str, event: str) -> str:
    return f"{table}_results_version_{event.lower()}"


def upgrade():
    with op.batch_alter_table("survey_answers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("choice", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("choices", postgresql.ARRAY(sa.Integer()), nullable=True))
        batch_op.add_column(sa.Column("number", sa.Numeric(), nullable=True))
        batch_op.add_column(sa.Column("territory_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_survey_answers_territory_id_territories"),
            "territories",
            ["territory_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.add_column(
        "surveys",
        sa.Column("results_version", sa.BigInteger(), server_default="0", nullable=False),
    )
    op.execute(TRIGGERS)
    for table, event, transition, function in VERSION_TRIGGERS:
        op.execute(
            f"CREATE TRIGGER {_version_trigger_name(table, event)} AFTER {event} ON {table} "
            f"REFERENCING {transition} TABLE AS changed_rows "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        )
    # Backfill: the trigger fills the copies of every existing row. Surveys with many answers
    # take longer than the app's statement timeout, which is meant for requests.
    op.execute("SET LOCAL statement_timeout = 0")
    op.execute("UPDATE survey_answers SET value = value")
    op.drop_index("ix_survey_answers_question", table_name="survey_answers")
    op.create_index(
        "ix_survey_answers_question",
        "survey_answers",
        ["question_id"],
        unique=False,
        postgresql_include=RESULT_COLUMNS,
    )
    op.drop_index("ix_survey_responses_survey_submitted", table_name="survey_responses")
    op.create_index(
        "ix_survey_responses_survey_submitted",
        "survey_responses",
        ["survey_id", "submitted_at"],
        unique=False,
        postgresql_include=["channel", "territory_id"],
    )


def downgrade():
    op.drop_index("ix_survey_responses_survey_submitted", table_name="survey_responses")
    op.create_index(
        "ix_survey_responses_survey_submitted",
        "survey_responses",
        ["survey_id", "submitted_at"],
        unique=False,
    )
    op.drop_index("ix_survey_answers_question", table_name="survey_answers")
    op.create_index("ix_survey_answers_question", "survey_answers", ["question_id"], unique=False)
    for table, event, _transition, _function in VERSION_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {_version_trigger_name(table, event)} ON {table}")
    op.execute("DROP FUNCTION IF EXISTS surveys_bump_results_from_responses()")
    op.execute("DROP FUNCTION IF EXISTS surveys_bump_results_from_answers()")
    op.drop_column("surveys", "results_version")
    op.execute("DROP TRIGGER IF EXISTS survey_questions_kind ON survey_questions")
    op.execute("DROP FUNCTION IF EXISTS survey_questions_kind()")
    op.execute("DROP TRIGGER IF EXISTS survey_responses_territory ON survey_responses")
    op.execute("DROP TRIGGER IF EXISTS survey_answers_typed ON survey_answers")
    op.execute("DROP FUNCTION IF EXISTS survey_responses_territory()")
    op.execute("DROP FUNCTION IF EXISTS survey_answers_typed()")
    with op.batch_alter_table("survey_answers", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_survey_answers_territory_id_territories"), type_="foreignkey"
        )
        batch_op.drop_column("territory_id")
        batch_op.drop_column("number")
        batch_op.drop_column("choices")
        batch_op.drop_column("choice")
