"""Admin pages: the audit log, the roles of users and the idea categories."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/<lang>/admin")

from app.admin import categories, routes  # noqa: E402, F401
