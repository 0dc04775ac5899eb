from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.i18n import _l
from app.moderation.models import ReportReason

REASON_LABELS = {
    ReportReason.SPAM: _l("Spam or advertising"),
    ReportReason.OFFENSIVE: _l("Offensive or hateful"),
    ReportReason.PERSONAL_DATA: _l("Reveals someone's personal data"),
    ReportReason.OFF_TOPIC: _l("Not about the municipality"),
    ReportReason.OTHER: _l("Something else"),
}


class ReportForm(FlaskForm):
    reason = RadioField(
        _l("What is wrong?"),
        choices=[(reason.value, label) for reason, label in REASON_LABELS.items()],
        validators=[InputRequired(message=_l("Please choose what is wrong."))],
    )
    details = TextAreaField(
        _l("Details (optional)"),
        validators=[
            Optional(),
            Length(max=1000, message=_l("Please keep the details under 1,000 characters.")),
        ],
    )


class ReasonForm(FlaskForm):
    """Hide, restore, suspend or lift: a moderator always says why."""

    reason = StringField(
        _l("Reason"),
        validators=[
            DataRequired(message=_l("Please give a reason.")),
            Length(min=3, max=500, message=_l("The reason must be 3 to 500 characters long.")),
        ],
    )


class ConfirmForm(FlaskForm):
    """Approve or dismiss: only the CSRF token."""
