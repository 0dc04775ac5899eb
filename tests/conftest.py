"""Shared fixtures: a real PostGIS database per test worker, a real SMTP server,
a live server and Debian's chromium driven by Playwright."""

import os
import shutil
import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import psycopg
import pytest
from aiosmtpd.controller import Controller
from flask import has_app_context
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
APP_DATA = ROOT / "app" / "data"
BASE_TEST_URL = os.environ.get(
    "TEST_DATABASE_URL", "postgresql+psycopg://kopa:kopa@127.0.0.1:5432/kopa_test"
)
PRESERVED_TABLES = {"alembic_version", "spatial_ref_sys"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def boundary_file(name: str) -> Path:
    """Shared data when it sits beside the project, else the copy shipped in the app."""
    shared = SHARED_DATA / name
    return shared if shared.exists() else APP_DATA / name


# --- database ---------------------------------------------------------------------------


def _worker_database_url(worker_id: str) -> str:
    url = make_url(BASE_TEST_URL)
    if worker_id != "master":
        url = url.set(database=f"{url.database}_{worker_id}")
    return url.render_as_string(hide_password=False)


def _recreate_database(url_string: str) -> None:
    url = make_url(url_string)
    admin = url.set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{url.database}"')
    target = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(target, autocommit=True) as conn:
        for extension in ("postgis", "pg_trgm", "unaccent", "citext"):
            conn.execute(f"CREATE EXTENSION IF NOT EXISTS {extension}")


@pytest.fixture(scope="session")
def database_url(worker_id: str) -> str:
    url = _worker_database_url(worker_id)
    _recreate_database(url)
    return url


# --- SMTP -------------------------------------------------------------------------------


@dataclass
class Mailbox:
    messages: list[EmailMessage] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [m for m in self.messages if address.lower() in str(m["To"]).lower()]


@pytest.fixture(scope="session")
def smtp_server():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def mailbox(smtp_server) -> Mailbox:
    smtp_server.handler.clear()
    return smtp_server.handler


def body_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    return part.get_content() if part else ""


# --- application ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def app_settings(database_url, smtp_server, tmp_path_factory) -> dict:
    return {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_server.port,
        "UPLOAD_DIR": str(tmp_path_factory.mktemp("uploads")),
        "TILE_CACHE_DIR": str(tmp_path_factory.mktemp("tiles")),
    }


class ContextPerRequestClient(FlaskClient):
    """The test client of every app the tests build: each request runs in an application
    context of its own, as in production.

    The `db` fixture holds one application context for the whole test, and Flask would reuse it
    for the client's requests: they would share its `g` (Flask-Login's user, Flask-Babel's
    locale) and its SQLAlchemy session with the test and with each other. Here a request gets
    its own `g` and session instead. What the test has written is committed first, so the
    request sees it and holds no lock the test still keeps; that also expires the test's
    objects, so reading them after the request shows what the request did.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            from app.extensions import db as database

            database.session.commit()
        with self.application.app_context():
            response = super().open(*args, **kwargs)
            # Reading turns a streamed body into a buffered one: remember which it was.
            response.was_streamed = response.is_streamed
            response.get_data()  # streamed bodies (CSV exports) are read inside the context
        return response


def _build_app(**settings):
    from app import create_app

    application = create_app("testing", **settings)
    application.test_client_class = ContextPerRequestClient
    return application


@pytest.fixture(scope="session")
def app(app_settings):
    """The app for the test client. CSRF is off here so form tests stay short;
    `csrf_app` and the live server (browser tests) keep it on."""
    from flask_migrate import upgrade

    application = _build_app(WTF_CSRF_ENABLED=False, **app_settings)
    with application.app_context():
        upgrade(revision="heads")  # the real migrations, not create_all()
    yield application
    _dispose_engines(application)


@pytest.fixture(scope="session")
def csrf_app(app, app_settings):
    """The same database, with CSRF protection on as in production."""
    application = _build_app(**app_settings)
    yield application
    _dispose_engines(application)


def _dispose_engines(application) -> None:
    """Close pooled connections so no psycopg connection is left for the garbage collector."""
    from app.extensions import db as database

    with application.app_context():
        database.session.remove()
        for engine in database.engines.values():
            engine.dispose()


@pytest.fixture
def make_app(app_settings):
    """Build another app on the same database with other settings; disposed afterwards."""
    from app.extensions import db as database

    made = []

    def factory(**overrides):
        application = _build_app(**{**app_settings, **overrides})
        made.append(application)
        return application

    yield factory
    for application in made:
        with application.app_context():
            for engine in database.engines.values():
                engine.dispose()
    if made:
        # Flask-Limiter keeps one switch for every app in the process: put the suite's back.
        from app.extensions import limiter

        limiter.enabled = False


def _truncate_all(app) -> None:
    from app.extensions import db

    with app.app_context():
        tables = [t.name for t in db.metadata.sorted_tables if t.name not in PRESERVED_TABLES]
        if tables:
            quoted = ", ".join(f'"{name}"' for name in tables)
            db.session.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
            db.session.commit()
        db.session.remove()


@pytest.fixture(autouse=True)
def clean_state(request, app):
    """Every test starts with empty tables and an empty upload folder."""
    _truncate_all(app)
    upload_dir = Path(app.config["UPLOAD_DIR"])
    if upload_dir.exists():
        shutil.rmtree(upload_dir)
    upload_dir.mkdir(parents=True)
    yield


@pytest.fixture
def db(app):
    from app.extensions import db as database

    with app.app_context():
        yield database
        database.session.remove()


@pytest.fixture
def client(app):
    """A client of the app (CSRF off), each request in its own context (see above)."""
    return app.test_client()


@pytest.fixture
def balvu(db):
    """The 21 territorial units of Balvu novads and the default categories."""
    from app.categories.services import ensure_default_categories
    from app.territories.services import import_territories, read_boundary_file

    units = read_boundary_file(boundary_file("balvi_units.geojson"))
    import_territories(units, "Balvu novads")
    ensure_default_categories()
    db.session.commit()
    return db


# --- live server and browser ------------------------------------------------------------


@pytest.fixture(scope="session")
def live_server(csrf_app):
    port = free_port()
    server = make_server("127.0.0.1", port, csrf_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{port}"
    yield server
    server.shutdown()


CHROMIUM = os.environ.get("KOPA_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Debian's chromium is missing at {CHROMIUM}: run 'make test' to install it")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (phone-sized) that records every request it makes."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="lv-LV", base_url=live_server.url
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.requested_urls = []
    page.console_errors = []
    page.on("request", lambda req: page.requested_urls.append(req.url))
    page.on(
        "console", lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None
    )
    yield page
    context.close()


# --- PostgreSQL restarts ----------------------------------------------------------------
# tests/security/test_restart.py restarts the PostgreSQL cluster. Every test holds a shared
# lock on this file while it runs (named to sort before clean_state, so it also covers the
# TRUNCATE); the restart takes it exclusively, so no test of any session on this machine is in
# the middle of a query when the server goes away: they wait a few seconds instead.
POSTGRES_RESTART_LOCK = Path("/tmp/kopa-postgres-restart.lock")


@pytest.fixture(autouse=True)
def between_postgres_restarts():
    import fcntl

    with POSTGRES_RESTART_LOCK.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_SH)
        yield handle
