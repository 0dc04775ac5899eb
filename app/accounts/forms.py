from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from app.core.text import has_invisible_characters
from app.i18n import _l

PASSWORD_MIN = 10


def _no_control_characters(form, field):
    if has_invisible_characters(field.data):
        raise ValidationError(_l("Please remove invisible control characters."))


class RegisterForm(FlaskForm):
    email = EmailField(
        _l("E-mail"),
        validators=[
            DataRequired(message=_l("Please enter your e-mail address.")),
            Email(message=_l("Please enter a valid e-mail address."), check_deliverability=False),
            Length(max=254),
        ],
    )
    display_name = StringField(
        _l("Name shown to others"),
        validators=[
            DataRequired(message=_l("Please enter a name.")),
            Length(min=2, max=80, message=_l("The name must be 2 to 80 characters long.")),
            _no_control_characters,
        ],
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(message=_l("Please choose a password.")),
            Length(
                min=PASSWORD_MIN,
                max=200,
                message=_l("The password must be at least 10 characters long."),
            ),
        ],
    )
    password_confirm = PasswordField(
        _l("Repeat the password"),
        validators=[EqualTo("password", message=_l("The passwords do not match."))],
    )
    accept_privacy = BooleanField(
        _l("I have read the privacy notice"),
        validators=[
            DataRequired(message=_l("Please confirm that you have read the privacy notice."))
        ],
    )


class SignInForm(FlaskForm):
    email = EmailField(
        _l("E-mail"), validators=[DataRequired(message=_l("Please enter your e-mail address."))]
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(message=_l("Please enter your password."))]
    )
    remember = BooleanField(_l("Keep me signed in on this device"))


class ResetRequestForm(FlaskForm):
    email = EmailField(
        _l("E-mail"),
        validators=[
            DataRequired(message=_l("Please enter your e-mail address.")),
            Email(message=_l("Please enter a valid e-mail address."), check_deliverability=False),
        ],
    )


class ResetPasswordForm(FlaskForm):
    password = RegisterForm.password
    password_confirm = RegisterForm.password_confirm


class ProfileForm(FlaskForm):
    display_name = RegisterForm.display_name
    locale = SelectField(_l("Language of e-mails"), choices=[("lv", "Latviešu"), ("en", "English")])
    home_territory = SelectField(_l("Home territorial unit"), coerce=int, choices=[])
    notification_frequency = SelectField(
        _l("E-mails about ideas I added or follow"),
        choices=[
            ("immediately", _l("Straight away")),
            ("weekly", _l("Once a week, in a summary")),
            ("never", _l("Never")),
        ],
    )
