"""Admin pages: the audit log, the roles of users, the idea categories and the territories."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/<lang>/admin")

from app.admin import categories, routes, territories  # noqa: E402, F401
