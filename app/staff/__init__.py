"""The staff workspace: the queue of ideas, answers, status changes and programme tasks."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/<lang>/staff")

from app.staff import routes  # noqa: E402, F401
