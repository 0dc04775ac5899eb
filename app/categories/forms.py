"""Forms of the categories page (administrators)."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app.i18n import _l

NAME_RULES = [
    DataRequired(message=_l("Please enter the name of the category.")),
    Length(max=120, message=_l("A name must be 2 to 120 characters long.")),
]


class CategoryNamesMixin:
    name = StringField(_l("Name in Latvian"), validators=NAME_RULES, render_kw={"maxlength": 120})
    name_en = StringField(
        _l("Name in English"), validators=NAME_RULES, render_kw={"maxlength": 120}
    )


class NewCategoryForm(CategoryNamesMixin, FlaskForm):
    slug = StringField(
        _l("Short name for links and Open311"),
        validators=[Optional(), Length(max=40)],
        render_kw={"maxlength": 40, "autocomplete": "off", "spellcheck": "false"},
    )


class CategoryForm(CategoryNamesMixin, FlaskForm):
    active = BooleanField(_l("Residents can choose this category for new ideas"))


class MoveForm(FlaskForm):
    direction = HiddenField()
