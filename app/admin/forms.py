from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.validators import Optional

from app.i18n import _l
from app.staff.forms import optional_int


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    action = SelectField(_l("Action"), validate_choice=False)
    actor = SelectField(_l("Who"), coerce=optional_int, validate_choice=False)


class UserSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Find a person by e-mail or name"), validators=[Optional()])


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"))
    territories = SelectMultipleField(
        _l("Territorial units this leader works for"), coerce=int, validate_choice=False
    )
