"""E-mail notifications: an outbox written in the same transaction as the change,
a worker that delivers it (`flask notifications send`), weekly digests and unsubscribe."""

from flask import Blueprint

bp = Blueprint(
    "notifications", __name__, url_prefix="/<lang>/notifications", cli_group="notifications"
)

from app.notifications import cli, routes  # noqa: E402, F401
