"""flask territories import FILE --municipality NAME"""

from pathlib import Path

import click
from flask_babel import force_locale

from app.extensions import db
from app.territories import bp
from app.territories.services import (
    import_territories,
    read_boundary_file,
    set_statement_timeout_for_import,
)


@bp.cli.command("import")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--municipality", required=True, help='e.g. "Balvu novads"')
def import_command(path: Path, municipality: str) -> None:
    """Import or update territorial units from a GeoJSON FeatureCollection."""
    # The service's messages are translatable; on the command line they are English.
    with force_locale("en"):
        try:
            units = read_boundary_file(path)
            set_statement_timeout_for_import()
            with click.progressbar(units, label="Importing units", show_pos=True) as bar:
                result = import_territories(bar, municipality)
            from app.audit import record

            record(
                None,
                "territories.import",
                target=municipality,
                after={"file": path.name, "created": result.created, "updated": result.updated},
            )
            db.session.commit()
        except Exception as exc:
            db.session.rollback()
            raise click.ClickException(f"Nothing was imported: {exc}") from exc
    click.echo(f"{municipality}: {result.created} units created, {result.updated} updated.")
