"""Rate limits on the public APIs, counted in Redis: per IP and per Open311 API key."""

import pytest
import redis

from tests.opendata.ideas import unit_centre

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def limited_app(make_app, balvu):
    """An app with limits on, backed by Redis; the shared limiter is restored afterwards."""
    from app.extensions import limiter

    saved = dict(vars(limiter))
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.ConnectionError:
        pytest.fail("Redis is not running on 127.0.0.1:6379 (make test starts it)")
    connection.flushdb()

    def build(**limits):
        return make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=REDIS_URL, **limits)

    yield build
    connection.flushdb()
    connection.close()
    vars(limiter).clear()
    vars(limiter).update(saved)


def test_json_api_and_open311_share_a_per_ip_budget_answered_with_429(limited_app):
    app = limited_app(RATELIMIT_API="3 per minute")
    client = app.test_client()
    assert client.get("/api/v1/territories.geojson").status_code == 200
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/open311/v2/services.json").status_code == 200
    refused = client.get("/api/v1/territories.geojson")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert refused.get_json()["error"]["code"] == 429
    open311 = client.get("/open311/v2/requests.json")
    assert open311.status_code == 429
    assert int(open311.headers["Retry-After"]) > 0
    [error] = open311.get_json()
    assert error["code"] == 429
    assert error["description"].startswith("Jūs")  # Latvian, like the rest of the site
    # Another address has its own budget.
    other = client.get("/api/v1/territories.geojson", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert other.status_code == 200
    # Pages are not part of the API budget.
    assert client.get("/lv/open-data/").status_code == 200


def test_each_api_key_has_its_own_budget(limited_app, balvu):
    from app.open311.services import issue_key

    _, first = issue_key("Pirmā lietotne", actor=None)
    _, second = issue_key("Otrā lietotne", actor=None)
    balvu.session.commit()
    app = limited_app(RATELIMIT_API="100 per minute", RATELIMIT_API_KEY="2 per minute")
    client = app.test_client()
    lon, lat = unit_centre()

    def post(token):
        return client.post(
            "/open311/v2/requests.json",
            data={
                "api_key": token,
                "service_code": "roads",
                "lat": lat,
                "long": lon,
                "description": "Pie tilta trūkst margu, tur ir bīstami bērniem.",
            },
        )

    assert post(first).status_code == 201
    assert post(first).status_code == 201
    refused = post(first)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert refused.get_json()[0]["code"] == 429
    assert post(second).status_code == 201
