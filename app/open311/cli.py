"""flask open311 create-key NAME | list-keys | revoke-key ID"""

import click
from sqlalchemy import select

from app.extensions import db
from app.open311 import bp, services
from app.open311.models import ApiKey


@bp.cli.command("create-key")
@click.argument("name")
def create_key(name: str) -> None:
    """Issue an API key for the client NAME and print its token (shown only once)."""
    try:
        key, token = services.issue_key(name, actor=None)
    except ValueError as error:
        raise click.BadParameter("NAME must be 2 to 120 characters long.") from error
    db.session.commit()
    click.echo(f"API key {key.id} for {key.name}: {token}")
    click.echo("Store it now: only its SHA-256 is kept.")


@bp.cli.command("list-keys")
def list_keys() -> None:
    for key in db.session.scalars(select(ApiKey).order_by(ApiKey.id)):
        state = "revoked" if key.revoked_at else "active"
        click.echo(f"{key.id}\t{key.prefix}…\t{state}\t{key.name}")


@bp.cli.command("revoke-key")
@click.argument("key_id", type=int)
def revoke_key(key_id: int) -> None:
    key = db.session.get(ApiKey, key_id)
    if key is None:
        raise click.ClickException(f"No API key {key_id}.")
    services.revoke_key(key, actor=None)
    db.session.commit()
    click.echo(f"API key {key_id} revoked.")
