from flask import Blueprint

bp = Blueprint("territories", __name__, cli_group="territories")

from app.territories import cli  # noqa: E402, F401
