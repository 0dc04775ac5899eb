"""The public feedback page: "You said, we did"."""

from flask import Blueprint

bp = Blueprint("feedback", __name__, url_prefix="/<lang>/feedback")

from app.feedback import routes  # noqa: E402, F401
