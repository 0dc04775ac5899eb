"""Forms for submitting, editing and discussing ideas.

Length and place rules live in `services.validate_new_idea` so that every channel (this
form, Open311, workshop entry) gets the same checks; the forms add what is form-specific.
"""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, Optional

from app.core.uploads import ACCEPT_ATTRIBUTE
from app.i18n import _l

MAX_PHOTOS = 3
COMMENT_MAX = 2000
PLACE_DESCRIPTION_MAX = 300
ALT_MAX = 250


def optional_int(value):
    """Select values: an int, or None for the empty choice (and for junk)."""
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class IdeaTextMixin:
    # Lengths are checked by services.validate_new_idea; here only "filled in at all".
    title = StringField(
        _l("Title"),
        validators=[DataRequired(message=_l("Please enter a title."))],
        render_kw={"maxlength": 120},
    )
    description = TextAreaField(
        _l("Description"),
        validators=[DataRequired(message=_l("Please describe your idea."))],
        render_kw={"rows": 8},
    )
    category = SelectField(
        _l("Category"),
        coerce=optional_int,
        validate_choice=False,
        choices=[],
        validators=[DataRequired(message=_l("Please choose a category."))],
    )


class IdeaPlaceMixin:
    """Where: a pin (lat/lon written by the pin picker) or a unit and words."""

    lat = StringField(_l("Latitude"), render_kw={"inputmode": "decimal", "autocomplete": "off"})
    lon = StringField(_l("Longitude"), render_kw={"inputmode": "decimal", "autocomplete": "off"})
    territory = SelectField(
        _l("Territorial unit"), coerce=optional_int, validate_choice=False, choices=[]
    )
    place_description = StringField(
        _l("Describe the place"),
        validators=[
            Optional(),
            Length(
                max=PLACE_DESCRIPTION_MAX,
                message=_l("Please describe the place in at most 300 characters."),
            ),
        ],
        render_kw={"maxlength": PLACE_DESCRIPTION_MAX},
    )


class IdeaForm(IdeaTextMixin, IdeaPlaceMixin, FlaskForm):
    anonymous = BooleanField(_l("Show me publicly only as a resident of the territorial unit"))
    photo_1 = FileField(_l("Photo 1"), render_kw={"accept": ACCEPT_ATTRIBUTE})
    alt_1 = StringField(
        _l("What does photo 1 show?"),
        validators=[Length(max=ALT_MAX, message=_l("At most 250 characters, please."))],
    )
    photo_2 = FileField(_l("Photo 2"), render_kw={"accept": ACCEPT_ATTRIBUTE})
    alt_2 = StringField(
        _l("What does photo 2 show?"),
        validators=[Length(max=ALT_MAX, message=_l("At most 250 characters, please."))],
    )
    photo_3 = FileField(_l("Photo 3"), render_kw={"accept": ACCEPT_ATTRIBUTE})
    alt_3 = StringField(
        _l("What does photo 3 show?"),
        validators=[Length(max=ALT_MAX, message=_l("At most 250 characters, please."))],
    )
    # Photos already checked and stored on an earlier step (signed, see routes).
    kept_photos = HiddenField()
    submission_token = HiddenField()
    step = HiddenField(default="check")


class IdeaEditForm(IdeaTextMixin, IdeaPlaceMixin, FlaskForm):
    pass


COLLECTED_NOTE_MAX = 200


class RecordedIdeaForm(IdeaTextMixin, IdeaPlaceMixin, FlaskForm):
    """A leader or clerk typing in an idea collected at a workshop or on paper."""

    channel = SelectField(
        _l("How was the idea collected?"),
        choices=[("workshop", _l("At a workshop or meeting")), ("paper", _l("On paper"))],
        default="workshop",
        validators=[AnyOf(("workshop", "paper"), message=_l("Please choose from the list."))],
    )
    collected_note = StringField(
        _l("Where and when"),
        validators=[
            Optional(),
            Length(
                max=COLLECTED_NOTE_MAX,
                message=_l("Please keep this to at most 200 characters."),
            ),
        ],
        render_kw={"maxlength": COLLECTED_NOTE_MAX},
    )
    submission_token = HiddenField()


class CommentForm(FlaskForm):
    body = TextAreaField(
        _l("Your comment"),
        validators=[
            DataRequired(message=_l("Please write a comment.")),
            Length(max=COMMENT_MAX, message=_l("A comment can be at most 2,000 characters long.")),
        ],
        render_kw={"rows": 4, "maxlength": COMMENT_MAX},
    )
    submission_token = HiddenField()


class ActionForm(FlaskForm):
    """A button that changes something (support, follow, withdraw): CSRF and nothing else."""
