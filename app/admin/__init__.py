"""Admin pages: the audit log and the roles of users."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/<lang>/admin")

from app.admin import routes  # noqa: E402, F401
