"""Session cookies: HttpOnly and SameSite=Lax always, Secure in production; production
refuses to start without its secrets."""

import re

import pytest

from tests.factories import PASSWORD, create_user

PRODUCTION_ENV = {
    "SECRET_KEY": "a-long-production-secret-for-this-test",
    "SERVER_BASE_URL": "https://kopa.example.lv",
    "MAIL_SERVER": "127.0.0.1",
}


def cookie_header(response, name: str) -> str:
    [header] = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{name}=")]
    return header


def test_development_cookies_are_httponly_and_lax(csrf_app):
    response = csrf_app.test_client().get("/en/account/sign-in")
    session = cookie_header(response, "session")
    assert "HttpOnly" in session and "SameSite=Lax" in session
    assert "Secure" not in session


@pytest.fixture
def production_app(monkeypatch, database_url, app_settings):
    from app import create_app

    for name, value in PRODUCTION_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("DATABASE_URL", database_url)
    application = create_app(
        "production",
        MAIL_PORT=app_settings["MAIL_PORT"],
        UPLOAD_DIR=app_settings["UPLOAD_DIR"],
        TILE_CACHE_DIR=app_settings["TILE_CACHE_DIR"],
        RATELIMIT_ENABLED=False,
        RATELIMIT_STORAGE_URI="memory://",
    )
    yield application
    from app.extensions import db

    with application.app_context():
        db.engine.dispose()


def test_production_takes_its_secrets_from_the_environment(production_app, database_url):
    assert production_app.config["SECRET_KEY"] == PRODUCTION_ENV["SECRET_KEY"]
    assert production_app.config["SQLALCHEMY_DATABASE_URI"] == database_url
    assert not production_app.debug and not production_app.testing


def test_production_cookies_are_secure_httponly_and_lax(production_app, db):
    user = create_user(email="prod@example.lv")
    client = production_app.test_client()
    # Over HTTPS Flask-WTF also checks that the form came from our own pages.
    https = {
        "base_url": "https://localhost",
        "headers": {"Referer": "https://localhost/en/account/sign-in"},
    }
    form = client.get("/en/account/sign-in", **https)
    assert "max-age=63072000" in form.headers["Strict-Transport-Security"]
    session = cookie_header(form, "session")
    for flag in ("Secure", "HttpOnly", "SameSite=Lax"):
        assert flag in session
    assert "Secure" in cookie_header(form, "kopa_lang")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form.text).group(1)
    signed_in = client.post(
        "/en/account/sign-in",
        data={"csrf_token": token, "email": user.email, "password": PASSWORD, "remember": "y"},
        **https,
    )
    assert signed_in.status_code == 302
    for name in ("session", "remember_token"):
        header = cookie_header(signed_in, name)
        for flag in ("Secure", "HttpOnly", "SameSite=Lax"):
            assert flag in header, (name, header)


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL"])
def test_production_refuses_to_start_without_secrets(monkeypatch, database_url, missing):
    from app import create_app

    for name, value in PRODUCTION_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv(missing)
    with pytest.raises(RuntimeError) as refused:
        create_app("production")
    message = str(refused.value)
    assert "refuses to start" in message and missing in message
