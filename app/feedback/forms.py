from flask_wtf import FlaskForm
from wtforms import SelectField

from app.i18n import _l
from app.staff.forms import optional_int


class FeedbackFilterForm(FlaskForm):
    """GET filters of the feedback page (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    territory = SelectField(_l("Territorial unit"), coerce=optional_int, validate_choice=False)
    category = SelectField(_l("Category"), coerce=optional_int, validate_choice=False)
    year = SelectField(_l("Year"), coerce=optional_int, validate_choice=False)
