"""Open data: public downloads of ideas, territories and survey results, with licences."""

from flask import Blueprint

bp = Blueprint("opendata", __name__, url_prefix="/<lang>/open-data")

from app.opendata import routes  # noqa: E402, F401
