"""Open311 GeoReport v2 under /open311/v2/, and the admin page that issues its API keys."""

from flask import Blueprint

bp = Blueprint("open311", __name__, url_prefix="/open311/v2", cli_group="open311")
# Pages for admins live under the language prefix like every other page.
keys_bp = Blueprint("open311_keys", __name__, url_prefix="/<lang>/admin/open311-keys")

from app.open311 import admin, cli, routes  # noqa: E402, F401


@bp.record_once
def _register_admin_pages(state) -> None:
    state.app.register_blueprint(keys_bp)
