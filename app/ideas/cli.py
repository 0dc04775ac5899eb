"""flask ideas …: housekeeping for ideas, run by cron or by hand."""

from datetime import timedelta

import click

from app.ideas import bp, services


@bp.cli.command("purge-unused-photos")
@click.option(
    "--older-than-hours",
    default=24,
    show_default=True,
    type=click.IntRange(min=1),
    help="Keep photos younger than this: someone may still be finishing the form.",
)
def purge_unused_photos(older_than_hours: int) -> None:
    """Delete photos uploaded for ideas that were never sent (run it daily)."""
    removed = services.purge_unused_photos(timedelta(hours=older_than_hours))
    click.echo(f"Unused photos removed: {removed}.")
