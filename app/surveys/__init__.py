from flask import Blueprint

bp = Blueprint("surveys", __name__, url_prefix="/<lang>/surveys")

from app.surveys import demo, routes, routes_builder, routes_results  # noqa: E402, F401
