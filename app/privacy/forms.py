from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField
from wtforms.validators import DataRequired

from app.i18n import _l


class ReauthenticateForm(FlaskForm):
    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired(message=_l("Please enter your password."))],
    )


class DeleteAccountForm(ReauthenticateForm):
    confirm = BooleanField(
        _l("I understand that my account and personal data will be deleted for good"),
        validators=[
            DataRequired(message=_l("Please confirm that you want to delete your account."))
        ],
    )
