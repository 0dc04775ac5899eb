"""`flask notifications send [--once | --loop]`: the delivery worker."""

import signal
import time

import click
from flask import current_app

from app.notifications import bp
from app.notifications.worker import run_once


@bp.cli.command("send")
@click.option("--once", "mode", flag_value="once", default=True, help="One pass, then exit.")
@click.option("--loop", "mode", flag_value="loop", help="Keep delivering until stopped.")
@click.option("--interval", default=15.0, show_default=True, help="Seconds between passes.")
def send(mode: str, interval: float) -> None:
    """Deliver pending e-mails from the outbox (and queue due weekly digests)."""
    stopping = False

    def stop(signum, frame):
        nonlocal stopping
        stopping = True

    if mode == "loop":
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
    while True:
        try:
            result = run_once()
        except Exception:
            current_app.logger.exception("Notification pass failed")
            from app.extensions import db

            db.session.rollback()
            if mode != "loop":
                raise
        else:
            if result.sent or result.retried or result.failed or mode == "once":
                click.echo(
                    f"sent {result.sent}, to retry {result.retried}, failed {result.failed}"
                    + (" (SMTP server unreachable)" if result.outage else "")
                )
        if mode != "loop" or stopping:
            break
        slept = 0.0
        while slept < interval and not stopping:
            time.sleep(0.5)
            slept += 0.5
        if stopping:
            break
