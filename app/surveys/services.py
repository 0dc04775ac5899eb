"""Writes for surveys: the builder and storing responses. Services flush; views commit."""

import hashlib
import hmac
from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import exists, func, select

from app.accounts.models import Role, User
from app.core.geo import point_sql
from app.extensions import db
from app.i18n import _
from app.surveys.answers import ParsedForm
from app.surveys.models import (
    OPTION_KINDS,
    Answer,
    Question,
    QuestionKind,
    QuestionOption,
    ResponseChannel,
    Survey,
    SurveyAccess,
    SurveyParticipation,
    SurveyResponse,
    SurveySection,
    SurveyState,
)


def now() -> datetime:
    return datetime.now(UTC)


def can_manage(user, survey: Survey) -> bool:
    """Staff and admins manage every survey; a leader only the ones they own."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    return user.role == Role.LEADER and survey.owner_id == user.id


def question_has_answers(question_id: int) -> bool:
    return bool(db.session.scalar(select(exists().where(Answer.question_id == question_id))))


def survey_has_responses(survey_id: int) -> bool:
    return bool(db.session.scalar(select(exists().where(SurveyResponse.survey_id == survey_id))))


# --- builder ------------------------------------------------------------------------------


def _next_position(model, **where) -> int:
    column = model.position
    query = select(func.coalesce(func.max(column), -1) + 1)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return db.session.scalar(query)


def add_section(survey: Survey, **texts) -> SurveySection:
    section = SurveySection(
        survey=survey, position=_next_position(SurveySection, survey_id=survey.id), **texts
    )
    db.session.add(section)
    db.session.flush()
    return section


def add_question(section: SurveySection, **fields) -> Question:
    question = Question(
        survey_id=section.survey_id,
        section=section,
        position=_next_position(Question, section_id=section.id),
        **fields,
    )
    db.session.add(question)
    db.session.flush()
    return question


def add_option(question: Question, label: str, label_en: str | None = None) -> QuestionOption:
    option = QuestionOption(
        question=question,
        position=_next_position(QuestionOption, question_id=question.id),
        label=label,
        label_en=label_en or None,
    )
    db.session.add(option)
    db.session.flush()
    return option


def move(items: list, item, direction: str) -> bool:
    """Swap an item with its neighbour in an ordered list; positions are renumbered."""
    index = items.index(item)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(items):
        return False
    items[index], items[other] = items[other], items[index]
    for position, element in enumerate(items):
        element.position = position
    db.session.flush()
    return True


def delete_refusal(item) -> str | None:
    """Why a section, question or option may not be deleted (answers would lose meaning)."""
    if isinstance(item, Question):
        if question_has_answers(item.id):
            return _("This question has answers and cannot be deleted.")
    elif isinstance(item, SurveySection):
        if any(question_has_answers(q.id) for q in item.questions):
            return _("This section has questions with answers and cannot be deleted.")
    elif isinstance(item, QuestionOption) and question_has_answers(item.question_id):
        return _("The question has answers: its options can be reworded but not deleted.")
    return None


def publish_problems(survey: Survey) -> list[str]:
    """Reasons a survey cannot be published yet, in the builder's words."""
    problems = []
    questions = survey.questions
    if not questions:
        problems.append(_("The survey has no question yet."))
    for question in questions:
        if question.kind in OPTION_KINDS and not question.options:
            problems.append(
                _('The question "%(prompt)s" has no options.', prompt=question.display_prompt())
            )
        elif question.kind == QuestionKind.RANKING and len(question.options) < 2:
            problems.append(
                _(
                    'The ranking question "%(prompt)s" needs at least two options.',
                    prompt=question.display_prompt(),
                )
            )
    if survey.closes_at and survey.closes_at <= now():
        problems.append(_("The closing time has already passed."))
    return problems


def publish(survey: Survey) -> list[str]:
    problems = publish_problems(survey)
    if not problems:
        survey.state = SurveyState.OPEN
        survey.published_at = survey.published_at or now()
        survey.closed_at = None
        db.session.flush()
    return problems


def close(survey: Survey) -> None:
    survey.state = SurveyState.CLOSED
    survey.closed_at = now()
    if survey.closes_at is None or survey.closes_at > survey.closed_at:
        survey.closes_at = survey.closed_at
        if survey.opens_at and survey.opens_at >= survey.closes_at:
            survey.opens_at = None
    db.session.flush()


def duplicate(survey: Survey, owner: User) -> Survey:
    """A draft copy with every section, question and option, and no responses."""
    copy = Survey(
        owner=owner,
        title=survey.title,
        title_en=survey.title_en,
        description=survey.description,
        description_en=survey.description_en,
        access=survey.access,
        one_per_person=survey.one_per_person,
        results_public=survey.results_public,
        state=SurveyState.DRAFT,
        territories=list(survey.territories),
    )
    db.session.add(copy)
    db.session.flush()
    sections = [
        (section, [(q, list(q.options)) for q in section.questions]) for section in survey.sections
    ]
    for section, questions in sections:
        new_section = SurveySection(
            survey_id=copy.id,
            position=section.position,
            title=section.title,
            title_en=section.title_en,
            description=section.description,
            description_en=section.description_en,
        )
        db.session.add(new_section)
        for question, _options in questions:
            columns = {
                c: getattr(question, c)
                for c in [
                    "position",
                    "kind",
                    "prompt",
                    "prompt_en",
                    "help",
                    "help_en",
                    "required",
                    "min_choices",
                    "max_choices",
                    "min_value",
                    "max_value",
                    "scale_low_label",
                    "scale_low_label_en",
                    "scale_high_label",
                    "scale_high_label_en",
                ]
            }
            choices = [
                QuestionOption(position=o.position, label=o.label, label_en=o.label_en)
                for o in question.options
            ]
            db.session.add(
                Question(survey_id=copy.id, section=new_section, options=choices, **columns)
            )
    db.session.flush()
    return copy


# --- answering ----------------------------------------------------------------------------


def accepting_answers(survey: Survey, moment: datetime | None = None) -> str | None:
    """None when answers are accepted; otherwise why not, for the respondent."""
    moment = moment or now()
    if survey.state == SurveyState.DRAFT:
        return _("This survey has not been published.")
    if survey.state == SurveyState.CLOSED or (survey.closes_at and survey.closes_at <= moment):
        return _("This survey is closed: answers are no longer accepted.")
    if survey.opens_at and survey.opens_at > moment:
        return _("This survey is not open yet.")
    return None


def participation_key(survey_id: int, user_id: int) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(
        secret, f"survey:{survey_id}:user:{user_id}".encode(), hashlib.sha256
    ).hexdigest()


def has_answered(survey: Survey, user) -> bool:
    """Per account: the response itself, or (anonymous surveys) the unlinked participation."""
    if not user.is_authenticated:
        return False
    if survey.access == SurveyAccess.SIGNED_IN:
        return bool(
            db.session.scalar(
                select(
                    exists().where(
                        SurveyResponse.survey_id == survey.id,
                        SurveyResponse.respondent_id == user.id,
                        SurveyResponse.channel == ResponseChannel.ONLINE,
                    )
                )
            )
        )
    return (
        db.session.get(SurveyParticipation, (survey.id, participation_key(survey.id, user.id)))
        is not None
    )


def find_by_token(token: str | None) -> SurveyResponse | None:
    if not token:
        return None
    return db.session.scalar(select(SurveyResponse).where(SurveyResponse.submission_token == token))


def store_response(
    survey: Survey,
    parsed: ParsedForm,
    *,
    user=None,
    channel: ResponseChannel = ResponseChannel.ONLINE,
    entered_by: User | None = None,
    territory_id: int | None = None,
    token: str | None = None,
) -> SurveyResponse:
    """Add a response and its answers. Anonymous surveys never store the respondent."""
    signed_in = user is not None and user.is_authenticated
    respondent = None
    if channel == ResponseChannel.ONLINE and signed_in and survey.access == SurveyAccess.SIGNED_IN:
        respondent = user
    response = SurveyResponse(
        survey_id=survey.id,
        respondent=respondent,
        channel=channel,
        entered_by=entered_by,
        territory_id=territory_id,
        submission_token=token or None,
    )
    db.session.add(response)
    db.session.flush()
    for question_id, answer in parsed.answers.items():
        geom = point_sql(answer.lon, answer.lat) if answer.lon is not None else None
        db.session.add(
            Answer(response_id=response.id, question_id=question_id, value=answer.value, geom=geom)
        )
    if (
        channel == ResponseChannel.ONLINE
        and signed_in
        and survey.access == SurveyAccess.ANONYMOUS
        and survey.one_per_person
    ):
        db.session.add(
            SurveyParticipation(survey_id=survey.id, key_hash=participation_key(survey.id, user.id))
        )
    db.session.flush()
    return response


def lock_survey(survey_id: int) -> Survey | None:
    """Serialise concurrent answers to one survey (one answer per person holds under races)."""
    return db.session.scalar(select(Survey).where(Survey.id == survey_id).with_for_update())
