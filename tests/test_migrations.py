"""The migrations build exactly the models' schema, and downgrade cleanly."""

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from tests.conftest import _recreate_database


@pytest.fixture
def scratch_app(make_app, database_url):
    url = make_url(database_url)
    scratch = url.set(database=f"{url.database}_migrations").render_as_string(hide_password=False)
    _recreate_database(scratch)
    yield make_app(SQLALCHEMY_DATABASE_URI=scratch), scratch
    admin = url.set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{url.database}_migrations" WITH (FORCE)')


def _differences(url: str):
    from app.extensions import db

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"include_object": _include_object, "compare_type": True}
            )
            return compare_metadata(context, db.metadata)
    finally:
        engine.dispose()


def _include_object(obj, name, type_, reflected, compare_to):
    from geoalchemy2 import alembic_helpers

    if type_ == "table" and reflected and compare_to is None:
        return False
    return alembic_helpers.include_object(obj, name, type_, reflected, compare_to)


def test_head_matches_models_and_round_trips(scratch_app):
    application, url = scratch_app
    with application.app_context():
        upgrade(revision="heads")
        assert _differences(url) == []
        downgrade(revision="base")
        upgrade(revision="heads")
        assert _differences(url) == []
