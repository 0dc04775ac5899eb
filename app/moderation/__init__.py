"""Moderation: reports from residents, the staff queue, hiding, approval and suspension."""

from flask import Blueprint

bp = Blueprint("moderation", __name__, url_prefix="/<lang>/moderation")

from app.moderation import routes  # noqa: E402, F401
