"""Builder forms. Respondents' answers are parsed in answers.py (their fields are dynamic)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields import DateTimeLocalField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.core.text import has_invisible_characters
from app.i18n import _l
from app.surveys.models import QuestionKind, ResponseChannel, SurveyAccess

RIGA = ZoneInfo("Europe/Riga")

KIND_LABELS = {
    QuestionKind.SINGLE: _l("Single choice"),
    QuestionKind.MULTIPLE: _l("Multiple choice"),
    QuestionKind.SCALE: _l("Scale 1–5"),
    QuestionKind.NUMBER: _l("Number"),
    QuestionKind.SHORT_TEXT: _l("Short text"),
    QuestionKind.LONG_TEXT: _l("Long text"),
    QuestionKind.MAP_POINT: _l("Place on the map"),
    QuestionKind.RANKING: _l("Ranking"),
}
CHANNEL_LABELS = {
    ResponseChannel.ONLINE: _l("Online"),
    ResponseChannel.PAPER: _l("Paper"),
    ResponseChannel.WORKSHOP: _l("Workshop"),
}


def no_invisible_characters(form, field):
    """Titles: no control, zero-width or direction-changing characters (app.core.text)."""
    if has_invisible_characters(field.data):
        raise ValidationError(_l("Please remove invisible control characters."))


def to_utc(local: datetime | None) -> datetime | None:
    """A naive datetime-local value read as Europe/Riga time."""
    return local.replace(tzinfo=RIGA) if local else None


def to_riga(moment: datetime | None) -> datetime | None:
    return moment.astimezone(RIGA).replace(tzinfo=None) if moment else None


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SurveyForm(FlaskForm):
    title = StringField(
        _l("Title (Latvian)"),
        validators=[
            DataRequired(message=_l("Please enter the title in Latvian.")),
            Length(min=3, max=200, message=_l("The title must be 3 to 200 characters long.")),
            no_invisible_characters,
        ],
    )
    title_en = StringField(
        _l("Title (English, optional)"),
        validators=[
            Length(max=200, message=_l("The title must be 3 to 200 characters long.")),
            no_invisible_characters,
        ],
    )
    description = TextAreaField(
        _l("Description (Latvian)"),
        validators=[Length(max=5000, message=_l("At most 5,000 characters."))],
    )
    description_en = TextAreaField(
        _l("Description (English, optional)"),
        validators=[Length(max=5000, message=_l("At most 5,000 characters."))],
    )
    territories = MultiCheckboxField(_l("Territorial units it targets"), coerce=int, choices=[])
    opens_at = DateTimeLocalField(
        _l("Opens (Riga time, optional)"),
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
    )
    closes_at = DateTimeLocalField(
        _l("Closes (Riga time, optional)"),
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
    )
    access = SelectField(
        _l("Who can answer"),
        choices=[
            (SurveyAccess.ANONYMOUS.value, _l("Anyone, without signing in (anonymous)")),
            (SurveyAccess.SIGNED_IN.value, _l("Only signed-in residents")),
        ],
    )
    one_per_person = BooleanField(_l("One answer per person"), default=True)
    results_public = BooleanField(_l("Results are public"))

    def __init__(self, *args, territory_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.territory_required = territory_required

    def validate_territories(self, field):
        if self.territory_required and not field.data:
            raise ValidationError(_l("Please choose at least one of your territorial units."))

    def validate_closes_at(self, field):
        if field.data and self.opens_at.data and field.data <= self.opens_at.data:
            raise ValidationError(_l("The closing time must be after the opening time."))


class SectionForm(FlaskForm):
    title = StringField(
        _l("Section title (Latvian)"),
        validators=[
            DataRequired(message=_l("Please enter the section title in Latvian.")),
            Length(max=200, message=_l("At most 200 characters.")),
        ],
    )
    title_en = StringField(
        _l("Section title (English, optional)"),
        validators=[Length(max=200, message=_l("At most 200 characters."))],
    )
    description = TextAreaField(
        _l("Introduction (Latvian, optional)"),
        validators=[Length(max=2000, message=_l("At most 2,000 characters."))],
    )
    description_en = TextAreaField(
        _l("Introduction (English, optional)"),
        validators=[Length(max=2000, message=_l("At most 2,000 characters."))],
    )


class QuestionForm(FlaskForm):
    kind = SelectField(
        _l("Kind of question"), choices=[(k.value, label) for k, label in KIND_LABELS.items()]
    )
    prompt = StringField(
        _l("Question (Latvian)"),
        validators=[
            DataRequired(message=_l("Please enter the question in Latvian.")),
            Length(max=500, message=_l("At most 500 characters.")),
        ],
    )
    prompt_en = StringField(
        _l("Question (English, optional)"),
        validators=[Length(max=500, message=_l("At most 500 characters."))],
    )
    help = TextAreaField(
        _l("Help text (Latvian, optional)"),
        validators=[Length(max=1000, message=_l("At most 1,000 characters."))],
    )
    help_en = TextAreaField(
        _l("Help text (English, optional)"),
        validators=[Length(max=1000, message=_l("At most 1,000 characters."))],
    )
    required = BooleanField(_l("An answer is required"))
    min_choices = IntegerField(
        _l("Multiple choice: at least this many (optional)"),
        validators=[Optional(), NumberRange(min=0, max=50, message=_l("0 to 50."))],
    )
    max_choices = IntegerField(
        _l("Multiple choice: at most this many (optional)"),
        validators=[Optional(), NumberRange(min=1, max=50, message=_l("1 to 50."))],
    )
    min_value = DecimalField(_l("Number: smallest allowed (optional)"), validators=[Optional()])
    max_value = DecimalField(_l("Number: largest allowed (optional)"), validators=[Optional()])
    scale_low_label = StringField(_l("Scale: label of 1 (Latvian)"), validators=[Length(max=100)])
    scale_low_label_en = StringField(
        _l("Scale: label of 1 (English, optional)"), validators=[Length(max=100)]
    )
    scale_high_label = StringField(_l("Scale: label of 5 (Latvian)"), validators=[Length(max=100)])
    scale_high_label_en = StringField(
        _l("Scale: label of 5 (English, optional)"), validators=[Length(max=100)]
    )

    def validate_max_choices(self, field):
        if (
            field.data is not None
            and self.min_choices.data is not None
            and field.data < self.min_choices.data
        ):
            raise ValidationError(_l("The maximum must not be smaller than the minimum."))

    def validate_max_value(self, field):
        if (
            field.data is not None
            and self.min_value.data is not None
            and field.data < self.min_value.data
        ):
            raise ValidationError(_l("The maximum must not be smaller than the minimum."))


class OptionForm(FlaskForm):
    label = StringField(
        _l("Option (Latvian)"),
        validators=[
            DataRequired(message=_l("Please enter the option in Latvian.")),
            Length(max=200, message=_l("At most 200 characters.")),
        ],
    )
    label_en = StringField(
        _l("Option (English, optional)"),
        validators=[Length(max=200, message=_l("At most 200 characters."))],
    )


class ActionForm(FlaskForm):
    """Only CSRF: publish, close, duplicate, move, delete."""


class AnswerMetaForm(FlaskForm):
    """What an answer form carries beside the questions: CSRF, the idempotency token and
    (for paper and workshop entry) the channel. The questions are parsed in answers.py."""

    submission_token = HiddenField()
    territory = SelectField(
        _l("Your territorial unit (optional)"), coerce=int, choices=[], validate_choice=False
    )
    channel = SelectField(
        _l("Collected on"),
        choices=[
            (ResponseChannel.PAPER.value, CHANNEL_LABELS[ResponseChannel.PAPER]),
            (ResponseChannel.WORKSHOP.value, CHANNEL_LABELS[ResponseChannel.WORKSHOP]),
        ],
        validate_choice=False,
    )

    def validate_channel(self, field):
        # Only paper and workshop entry show this field; online answers do not send it.
        if field.raw_data and field.data not in {c for c, _label in field.choices}:
            raise ValidationError(_l("Please choose paper or workshop."))
