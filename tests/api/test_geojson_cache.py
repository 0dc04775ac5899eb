"""Low-zoom map answers are shared through Redis for a few seconds; Redis down changes nothing."""

import redis

from tests.factories import create_idea

REDIS_TEST_URL = "redis://127.0.0.1:6379/14"
WHOLE_MUNICIPALITY = "/api/v1/ideas.geojson?bbox=26.9,56.7,27.9,57.35&zoom=9"
STREET = "/api/v1/ideas.geojson?bbox=27.20,57.10,27.32,57.16&zoom=16"


def total(response) -> int:
    return sum(f["properties"].get("count", 1) for f in response.get_json()["features"])


def test_clustered_answers_are_shared_for_a_few_seconds(make_app, balvu):
    redis.Redis.from_url(REDIS_TEST_URL).flushdb()
    cached = make_app(IDEAS_GEOJSON_CACHE_SECONDS=30, REDIS_URL=REDIS_TEST_URL)
    client = cached.test_client()
    create_idea(title="Pirmais priekšlikums", lon=27.26, lat=57.13)
    assert total(client.get(WHOLE_MUNICIPALITY)) == 1
    create_idea(title="Otrais priekšlikums", lon=27.27, lat=57.135)
    assert total(client.get(WHOLE_MUNICIPALITY)) == 1  # the shared answer
    assert total(client.get(STREET)) == 2  # street zoom is always fresh
    redis.Redis.from_url(REDIS_TEST_URL).flushdb()
    assert total(client.get(WHOLE_MUNICIPALITY)) == 2


def test_redis_down_still_answers(make_app, balvu, caplog):
    broken = make_app(IDEAS_GEOJSON_CACHE_SECONDS=30, REDIS_URL="redis://127.0.0.1:1/0")
    create_idea(title="Priekšlikums bez kešatmiņas", lon=27.26, lat=57.13)
    response = broken.test_client().get(WHOLE_MUNICIPALITY)
    assert response.status_code == 200
    assert total(response) == 1
    assert "cache unavailable" in caplog.text
