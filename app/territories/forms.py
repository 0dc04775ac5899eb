"""The admin page's forms: upload a boundary file, then confirm its import."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length

from app.i18n import _l

ACCEPT_ATTRIBUTE = ".geojson,.json,application/geo+json,application/json"


class BoundaryUploadForm(FlaskForm):
    municipality = StringField(
        _l("Municipality"),
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[
            DataRequired(message=_l("Please enter the name of the municipality.")),
            Length(max=200, message=_l("The name may be at most 200 characters long.")),
        ],
    )
    boundary_file = FileField(
        _l("Boundary file (GeoJSON)"),
        validators=[FileRequired(message=_l("Please choose a GeoJSON file."))],
        render_kw={"accept": ACCEPT_ATTRIBUTE},
    )


class ImportConfirmForm(FlaskForm):
    token = HiddenField(validators=[DataRequired()])
