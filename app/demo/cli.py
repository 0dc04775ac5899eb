"""flask demo load: the Balvu novads boundaries, categories and demo accounts."""

from pathlib import Path

import click

from app.categories.services import ensure_default_categories
from app.demo import bp
from app.extensions import db
from app.territories.services import import_territories, read_boundary_file

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEMO_MUNICIPALITY = "Balvu novads"


def load_demo_base() -> None:
    """Territories and categories; safe to run again (upserts)."""
    units = read_boundary_file(DATA_DIR / "balvi_units.geojson")
    municipality = import_territories(units, DEMO_MUNICIPALITY)
    categories = ensure_default_categories()
    click.echo(
        f"Territories: {municipality.created} created, {municipality.updated} updated; "
        f"categories added: {categories}."
    )


@bp.cli.command("load")
def load() -> None:
    """Load the Balvu novads demo data (idempotent)."""
    load_demo_base()
    from app.demo import extra

    for loader in extra.LOADERS:
        loader()
    db.session.commit()
    click.echo("Demo data loaded.")
