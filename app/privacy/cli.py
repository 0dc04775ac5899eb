"""flask privacy reapply-deletions | list-deletions"""

from datetime import datetime
from pathlib import Path

import click
from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.privacy import bp
from app.privacy.models import DeletedAccount
from app.privacy.services import reapply_deletions, record_deletions, remove_photo_files


@bp.cli.command("list-deletions")
def list_deletions() -> None:
    """Print every recorded deletion (id and account creation time), one per line.

    Save this before restoring a backup; pass the file to reapply-deletions --from-file."""
    rows = db.session.execute(
        select(DeletedAccount.id, DeletedAccount.account_created_at).order_by(DeletedAccount.id)
    )
    for user_id, created_at in rows:
        click.echo(f"{user_id} {created_at.isoformat() if created_at else '-'}")


@bp.cli.command("reapply-deletions")
@click.option(
    "--from-file",
    "from_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Also re-apply deletions listed by list-deletions (saved before the restore).",
)
def reapply(from_file: Path | None) -> None:
    """Delete again the accounts recorded in deleted_accounts (run after a backup restore)."""
    if from_file:
        entries = []
        for number, line in enumerate(from_file.read_text().splitlines(), start=1):
            if not line.strip():
                continue
            ident, _, created = line.strip().partition(" ")
            if not ident.isdigit():
                raise click.ClickException(f"{from_file}:{number}: not a user id: {ident!r}")
            created_at = datetime.fromisoformat(created) if created not in ("", "-") else None
            entries.append((int(ident), created_at))
        record_deletions(entries)
    redone, stems = reapply_deletions()
    db.session.commit()
    removed = remove_photo_files(current_app.config["UPLOAD_DIR"], stems)
    click.echo(f"Deletions re-applied to {redone} account(s); {removed} photo file(s) removed.")
