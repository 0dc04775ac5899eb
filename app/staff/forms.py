from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.i18n import _l


def optional_int(value):
    """'' and None mean "no choice"; anything else must be a whole number."""
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class QueueFilterForm(FlaskForm):
    """The queue's filters: a GET form, so no CSRF token (it changes nothing)."""

    class Meta:
        csrf = False

    territory = SelectField(_l("Territorial unit"), coerce=optional_int, validate_choice=False)
    category = SelectField(_l("Category"), coerce=optional_int, validate_choice=False)
    status = SelectField(_l("Status"), validate_choice=False)


class ParticipationFilterForm(FlaskForm):
    """The dashboard's period and category: a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    period = SelectField(
        _l("Period"),
        choices=[
            ("30d", _l("Last 30 days")),
            ("90d", _l("Last 90 days")),
            ("12m", _l("Last 12 months")),
            ("all", _l("All time")),
        ],
        validate_choice=False,
    )
    category = SelectField(_l("Category"), coerce=optional_int, validate_choice=False)


class StatusForm(FlaskForm):
    # The workflow is checked by the service, which explains a refused step clearly.
    status = SelectField(_l("New status"), validate_choice=False)
    answer = TextAreaField(
        _l("Public answer in Latvian"),
        validators=[
            DataRequired(message=_l("Please write the public answer in Latvian.")),
            Length(max=5000, message=_l("The answer must be at most 5,000 characters long.")),
        ],
    )
    answer_en = TextAreaField(
        _l("Public answer in English (optional)"),
        validators=[
            Optional(),
            Length(max=5000, message=_l("The answer must be at most 5,000 characters long.")),
        ],
    )
    internal_note = TextAreaField(
        _l("Internal note (never shown publicly)"),
        validators=[
            Optional(),
            Length(max=5000, message=_l("The note must be at most 5,000 characters long.")),
        ],
    )
    duplicate_of = IntegerField(
        _l("Number of the original idea (for a duplicate)"),
        validators=[
            Optional(),
            NumberRange(min=1, message=_l("Please give the number of the original idea.")),
        ],
    )
    programme_task = SelectField(
        _l("Task of the development programme"), coerce=optional_int, validate_choice=False
    )


class ProgrammeLinkForm(FlaskForm):
    programme_task = SelectField(
        _l("Task of the development programme"), coerce=optional_int, validate_choice=False
    )


class OfficialCommentForm(FlaskForm):
    body = TextAreaField(
        _l("Official comment"),
        validators=[
            DataRequired(message=_l("Please write the comment.")),
            Length(max=2000, message=_l("The comment must be at most 2,000 characters long.")),
        ],
    )


class AfterPhotoForm(FlaskForm):
    photo = FileField(_l("Photo after the work"))
    alt_text = StringField(
        _l("What the photo shows"),
        validators=[
            DataRequired(message=_l("Please describe what the photo shows.")),
            Length(max=250, message=_l("The description must be at most 250 characters long.")),
        ],
    )


class ProgrammeTaskForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[
            DataRequired(message=_l("Please enter the code of the task.")),
            Length(max=20, message=_l("The code must be 1 to 20 characters long.")),
        ],
    )
    title = StringField(
        _l("Title in Latvian"),
        validators=[
            DataRequired(message=_l("Please enter the title in Latvian.")),
            Length(min=3, max=300, message=_l("The title must be 3 to 300 characters long.")),
        ],
    )
    title_en = StringField(
        _l("Title in English (optional)"),
        validators=[
            Optional(),
            Length(min=3, max=300, message=_l("The title must be 3 to 300 characters long.")),
        ],
    )
