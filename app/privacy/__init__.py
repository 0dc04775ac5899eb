"""Privacy: "My data" (download everything Kopā holds about you) and account deletion."""

from flask import Blueprint

bp = Blueprint("privacy", __name__, url_prefix="/<lang>/account/privacy", cli_group="privacy")


@bp.record_once
def _mask_ip_addresses_in_logs(state) -> None:
    # Server logs keep only shortened IP addresses (privacy notice); see app.privacy.logmask.
    from app.privacy.logmask import install_ip_masking

    install_ip_masking()


from app.privacy import cli, routes  # noqa: E402, F401
