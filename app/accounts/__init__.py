from flask import Blueprint

bp = Blueprint("accounts", __name__, url_prefix="/<lang>/account", cli_group="users")

from app.accounts import cli, routes  # noqa: E402, F401
