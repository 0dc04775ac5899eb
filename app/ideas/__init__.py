from flask import Blueprint

bp = Blueprint("ideas", __name__, url_prefix="/<lang>/ideas", cli_group="ideas")

from app.ideas import browse, cli, page, recording, routes  # noqa: E402, F401
