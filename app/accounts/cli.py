"""flask users create-admin"""

import click
from sqlalchemy.exc import IntegrityError

from app.accounts import bp
from app.accounts.models import Role
from app.accounts.services import create_user, find_user_by_email
from app.extensions import db


@bp.cli.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--name", "display_name", default="Administrator", show_default=True)
@click.password_option()
def create_admin(email: str, display_name: str, password: str) -> None:
    """Create an administrator account (confirmed), or promote an existing one."""
    if len(password) < 10:
        raise click.ClickException("The password must be at least 10 characters long.")
    user = find_user_by_email(email)
    if user is not None:
        user.role = Role.ADMIN
        db.session.commit()
        click.echo(f"{email} is now an administrator.")
        return
    try:
        create_user(email, password, display_name, role=Role.ADMIN, confirmed=True)
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise click.ClickException(f"Could not create the account: {exc.orig}") from exc
    click.echo(f"Administrator {email} created.")
