from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from app.i18n import _l


class ApiKeyForm(FlaskForm):
    name = StringField(
        _l("Who the key is for"),
        validators=[
            DataRequired(message=_l("Please name the client or organisation.")),
            Length(min=2, max=120, message=_l("The name must be 2 to 120 characters long.")),
        ],
    )


class RevokeForm(FlaskForm):
    """Only the CSRF token: the key comes from the URL."""
