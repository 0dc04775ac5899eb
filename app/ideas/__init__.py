from flask import Blueprint

bp = Blueprint("ideas", __name__, url_prefix="/<lang>/ideas", cli_group="ideas")
