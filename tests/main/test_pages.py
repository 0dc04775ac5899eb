import json
import re

import pytest


def test_root_goes_to_latvian_by_default(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/lv/")


def test_root_follows_accept_language(client):
    response = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert response.headers["Location"].endswith("/en/")


def test_cookie_beats_accept_language(client):
    client.set_cookie("kopa_lang", "lv")
    response = client.get("/", headers={"Accept-Language": "en"})
    assert response.headers["Location"].endswith("/lv/")


def test_visiting_a_language_remembers_it(client):
    client.get("/en/")
    response = client.get("/", headers={"Accept-Language": "lv"})
    assert response.headers["Location"].endswith("/en/")


@pytest.mark.parametrize(
    ("lang", "heading"), [("lv", "Kopā Balvu novadam"), ("en", "Together for Balvu novads")]
)
def test_home_page_in_both_languages(client, balvu, lang, heading):
    response = client.get(f"/{lang}/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in html
    assert heading in html
    assert html.count('data-territory-id="') == 21
    assert "Kubulu pagasts" in html


def test_unknown_language_is_not_found(client):
    response = client.get("/de/")
    assert response.status_code == 404


def test_language_switcher_keeps_the_page(client):
    html = client.get("/en/account/sign-in").get_data(as_text=True)
    assert 'href="/lv/account/sign-in"' in html
    assert 'href="/en/account/sign-in"' in html


def test_home_map_uses_only_our_assets(client, balvu):
    html = client.get("/lv/").get_data(as_text=True)
    for host in ("cdn.jsdelivr", "cdnjs", "code.jquery", "bootstrapcdn", "unpkg"):
        assert host not in html
    assert "/vendor/leaflet/leaflet.js" in html
    assert "/vendor/leaflet/leaflet.css" in html
    assert "user-scalable=no" not in html
    # Every inline script and style carries this response's nonce.
    nonce = re.search(r"'nonce-([^']+)'", client.get("/lv/").headers["Content-Security-Policy"])
    assert nonce


def test_inline_scripts_have_the_csp_nonce(client, balvu):
    response = client.get("/en/")
    policy = response.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    html = response.get_data(as_text=True)
    inline_tags = re.findall(r"<(?:script|style)(?![^>]*\bsrc=)[^>]*>", html)
    assert inline_tags
    assert all(f'nonce="{nonce}"' in tag for tag in inline_tags)
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_vendor_assets_are_served(client):
    response = client.get("/vendor/leaflet/leaflet.js")
    assert response.status_code == 200
    assert b"Leaflet" in response.data[:2000]
    assert client.get("/vendor/jquery/jquery.js").status_code == 404
    assert client.get("/vendor/leaflet/../../package.json").status_code == 404


def test_tiles_come_from_our_server(client):
    response = client.get("/tiles/9/301/158.png")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert response.data.startswith(b"\x89PNG")
    assert client.get("/tiles/2/9/9.png").status_code == 404


def test_security_headers(client):
    headers = client.get("/lv/privacy").headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "geolocation=(self)" in headers["Permissions-Policy"]


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


@pytest.mark.parametrize(("lang", "title"), [("lv", "Lapa nav atrasta"), ("en", "Page not found")])
def test_localized_404(client, lang, title):
    response = client.get(f"/{lang}/no-such-page")
    assert response.status_code == 404
    assert title in response.get_data(as_text=True)


def test_405_page(client):
    response = client.post("/en/privacy")
    assert response.status_code == 405
    assert "Method not allowed" in response.get_data(as_text=True)


def test_413_page(make_app):
    application = make_app(MAX_CONTENT_LENGTH=1000)
    response = application.test_client().post(
        "/en/account/sign-in", data={"email": "x" * 5000, "password": "y"}
    )
    assert response.status_code == 413
    assert "Too large" in response.get_data(as_text=True)


def test_500_page_has_no_traceback(make_app):
    application = make_app(PROPAGATE_EXCEPTIONS=False)

    @application.route("/en/boom")
    def boom():
        raise RuntimeError("secret internal detail")

    boom._kopa_public = True
    response = application.test_client().get("/en/boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in html
    assert "secret internal detail" not in html
    assert "Traceback" not in html


def test_database_down_gives_503(make_app):
    application = make_app(
        SQLALCHEMY_DATABASE_URI="postgresql+psycopg://kopa:kopa@127.0.0.1:1/nowhere"
    )
    client = application.test_client()
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.get_json()["status"] == "error"
    page = client.get("/lv/")
    assert page.status_code == 503
    assert "Īslaicīgi nav pieejams" in page.get_data(as_text=True)


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/lv/privacy", "Privātuma paziņojums"),
        ("/en/privacy", "Privacy notice"),
        ("/lv/accessibility", "Paziņojums par piekļūstamību"),
        ("/en/accessibility", "Accessibility statement"),
    ],
)
def test_static_pages(client, path, heading):
    response = client.get(path)
    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("lang", "title"),
    [("lv", "JavaScript bibliotēka interaktīvām kartēm"), ("en", "A JavaScript library")],
)
def test_the_map_credit_speaks_the_page_language(client, balvu, lang, title):
    page = client.get(f"/{lang}/ideas").get_data(as_text=True)
    prefix = re.search(r"attributionControl\.setPrefix\((\"[^;]*\")\)", page)
    assert prefix is not None
    assert title in json.loads(prefix.group(1))
