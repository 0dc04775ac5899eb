"""Surveys (aptaujas) run by community leaders and staff, and the answers they collect."""

import enum
from datetime import datetime

from geoalchemy2 import Geometry
from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Enum,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.extensions import db
from app.territories.models import Territory


class SurveyState(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class SurveyAccess(enum.StrEnum):
    ANONYMOUS = "anonymous"
    SIGNED_IN = "signed_in"


class QuestionKind(enum.StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    SCALE = "scale"
    NUMBER = "number"
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    MAP_POINT = "map_point"
    RANKING = "ranking"


# Kinds whose answers refer to the question's options.
OPTION_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RANKING}
TEXT_KINDS = {QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT}


class ResponseChannel(enum.StrEnum):
    ONLINE = "online"
    PAPER = "paper"
    WORKSHOP = "workshop"


def _enum(enum_class, name):
    return Enum(enum_class, name=name, values_callable=lambda e: [m.value for m in e])


survey_territories = Table(
    "survey_territories",
    db.metadata,
    Column("survey_id", ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "territory_id",
        ForeignKey("territories.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class Survey(db.Model):
    __tablename__ = "surveys"
    __table_args__ = (
        CheckConstraint("char_length(title) BETWEEN 3 AND 200", name="title_length"),
        CheckConstraint(
            "opens_at IS NULL OR closes_at IS NULL OR closes_at > opens_at", name="dates_ordered"
        ),
        Index("ix_surveys_state_closes", "state", "closes_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))  # Latvian, required
    title_en: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)
    state: Mapped[SurveyState] = mapped_column(
        _enum(SurveyState, "survey_state"), default=SurveyState.DRAFT
    )
    # Stored in UTC; entered and shown in Europe/Riga.
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    access: Mapped[SurveyAccess] = mapped_column(
        _enum(SurveyAccess, "survey_access"), default=SurveyAccess.ANONYMOUS
    )
    one_per_person: Mapped[bool] = mapped_column(default=True, server_default="true")
    results_public: Mapped[bool] = mapped_column(default=False, server_default="false")
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())
    published_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # Moved on by database triggers (migration 0009) whenever the survey's responses or answers
    # change: cached results are keyed by it. Read it with SQL, not from a loaded object.
    results_version: Mapped[int] = mapped_column(BigInteger, server_default="0")

    owner: Mapped[User | None] = relationship()
    territories: Mapped[list[Territory]] = relationship(
        secondary=survey_territories, order_by=Territory.name
    )
    sections: Mapped[list["SurveySection"]] = relationship(
        back_populates="survey", order_by="SurveySection.position", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Survey {self.id} {self.state.value}>"

    def display_title(self) -> str:
        from app.i18n import localized

        return localized(self.title, self.title_en)

    def display_description(self) -> str:
        from app.i18n import localized

        return localized(self.description, self.description_en)

    @property
    def questions(self) -> list["Question"]:
        return [q for s in self.sections for q in s.questions]


class SurveySection(db.Model):
    __tablename__ = "survey_sections"
    __table_args__ = (Index("ix_survey_sections_survey_position", "survey_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)

    survey: Mapped[Survey] = relationship(back_populates="sections")
    questions: Mapped[list["Question"]] = relationship(
        back_populates="section", order_by="Question.position", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<SurveySection {self.id} of survey {self.survey_id}>"

    def display_title(self) -> str:
        from app.i18n import localized

        return localized(self.title, self.title_en)

    def display_description(self) -> str:
        from app.i18n import localized

        return localized(self.description, self.description_en)


class Question(db.Model):
    __tablename__ = "survey_questions"
    __table_args__ = (
        CheckConstraint("char_length(prompt) BETWEEN 1 AND 500", name="prompt_length"),
        CheckConstraint(
            "min_choices IS NULL OR max_choices IS NULL OR min_choices <= max_choices",
            name="choices_ordered",
        ),
        CheckConstraint(
            "min_value IS NULL OR max_value IS NULL OR min_value <= max_value",
            name="bounds_ordered",
        ),
        Index("ix_survey_questions_section_position", "section_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Kept beside section_id so results can select a survey's questions directly.
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("survey_sections.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[QuestionKind] = mapped_column(_enum(QuestionKind, "question_kind"))
    prompt: Mapped[str] = mapped_column(String(500))
    prompt_en: Mapped[str | None] = mapped_column(String(500))
    help: Mapped[str | None] = mapped_column(Text)
    help_en: Mapped[str | None] = mapped_column(Text)
    required: Mapped[bool] = mapped_column(default=False, server_default="false")
    min_choices: Mapped[int | None]
    max_choices: Mapped[int | None]
    min_value = mapped_column(Numeric, nullable=True)
    max_value = mapped_column(Numeric, nullable=True)
    scale_low_label: Mapped[str | None] = mapped_column(String(100))
    scale_low_label_en: Mapped[str | None] = mapped_column(String(100))
    scale_high_label: Mapped[str | None] = mapped_column(String(100))
    scale_high_label_en: Mapped[str | None] = mapped_column(String(100))

    section: Mapped[SurveySection] = relationship(back_populates="questions")
    options: Mapped[list["QuestionOption"]] = relationship(
        back_populates="question", order_by="QuestionOption.position", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Question {self.id} {self.kind.value}>"

    def display_prompt(self) -> str:
        from app.i18n import localized

        return localized(self.prompt, self.prompt_en)

    def display_help(self) -> str:
        from app.i18n import localized

        return localized(self.help, self.help_en)

    def display_low(self) -> str:
        from app.i18n import localized

        return localized(self.scale_low_label, self.scale_low_label_en)

    def display_high(self) -> str:
        from app.i18n import localized

        return localized(self.scale_high_label, self.scale_high_label_en)


class QuestionOption(db.Model):
    __tablename__ = "survey_question_options"
    __table_args__ = (
        CheckConstraint("char_length(label) BETWEEN 1 AND 200", name="label_length"),
        Index("ix_survey_question_options_question_position", "question_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_questions.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    label: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str | None] = mapped_column(String(200))

    question: Mapped[Question] = relationship(back_populates="options")

    def __repr__(self) -> str:
        return f"<QuestionOption {self.id}>"

    def display_label(self) -> str:
        from app.i18n import localized

        return localized(self.label, self.label_en)


class SurveyResponse(db.Model):
    """One filled-in questionnaire. respondent_id stays empty for anonymous surveys."""

    __tablename__ = "survey_responses"
    __table_args__ = (
        CheckConstraint(
            "channel = 'online' OR entered_by_id IS NOT NULL", name="offline_has_enterer"
        ),
        # Carries what the results count per day, channel and unit (read from the index alone).
        Index(
            "ix_survey_responses_survey_submitted",
            "survey_id",
            "submitted_at",
            postgresql_include=["channel", "territory_id"],
        ),
        Index("ix_survey_responses_survey_respondent", "survey_id", "respondent_id"),
        Index("ix_survey_responses_survey_territory", "survey_id", "territory_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    respondent_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    channel: Mapped[ResponseChannel] = mapped_column(
        _enum(ResponseChannel, "response_channel"), default=ResponseChannel.ONLINE
    )
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    territory_id: Mapped[int | None] = mapped_column(
        ForeignKey("territories.id", ondelete="SET NULL")
    )
    submitted_at: Mapped[datetime] = mapped_column(server_default=func.now())
    # Makes a double-clicked or re-posted form store one response.
    submission_token: Mapped[str | None] = mapped_column(String(64), unique=True)

    survey: Mapped[Survey] = relationship()
    respondent: Mapped[User | None] = relationship(foreign_keys=[respondent_id])
    entered_by: Mapped[User | None] = relationship(foreign_keys=[entered_by_id])
    territory: Mapped[Territory | None] = relationship()

    def __repr__(self) -> str:
        return f"<SurveyResponse {self.id} {self.channel.value}>"


# Columns of survey_answers that results read; the index carries them so that aggregating a
# survey's answers reads the index alone, never the JSON values.
RESULT_COLUMNS = ["response_id", "territory_id", "choice", "choices", "number"]


class Answer(db.Model):
    """The answer to one question: option id, list of ids, number, text or {lat, lon}.

    `choice`, `choices`, `number` and `territory_id` are typed copies for the results, filled by
    the database trigger `survey_answers_typed` (migration 0009) from `value`, the question's
    kind and the response, whoever writes the row: never set them in Python."""

    __tablename__ = "survey_answers"
    __table_args__ = (
        UniqueConstraint("response_id", "question_id", name="uq_survey_answers_response_question"),
        Index("ix_survey_answers_question", "question_id", postgresql_include=RESULT_COLUMNS),
        Index("ix_survey_answers_geom", "geom", postgresql_using="gist"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("survey_responses.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_questions.id", ondelete="RESTRICT"))
    value = mapped_column(JSONB, nullable=False)
    geom = mapped_column(Geometry("POINT", srid=4326, spatial_index=False), nullable=True)
    # The option id of a single choice, or the value of a scale (1–5).
    choice: Mapped[int | None]
    # The option ids of a multiple choice, or of a ranking in the order given (first = 1).
    choices = mapped_column(ARRAY(Integer), nullable=True)
    # The value of a number or scale question.
    number = mapped_column(Numeric, nullable=True)
    # The response's territorial unit, so breakdowns by unit need no join to the responses.
    territory_id: Mapped[int | None] = mapped_column(
        ForeignKey("territories.id", ondelete="SET NULL")
    )

    def __repr__(self) -> str:
        return f"<Answer {self.id} to question {self.question_id}>"


class SurveyParticipation(db.Model):
    """That someone took part in an anonymous survey, never which response is theirs.

    key_hash is an HMAC of the survey and the account id, so "one answer per person" holds
    for signed-in visitors without linking the account to the answers."""

    __tablename__ = "survey_participations"

    survey_id: Mapped[int] = mapped_column(
        ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True
    )
    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
