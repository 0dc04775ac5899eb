"""The shared Redis cache of expensive answers (survey results use it)."""

import threading
import time
import uuid

import pytest
import redis

from app.core.cache import cached_text

REDIS_TEST_URL = "redis://127.0.0.1:6379/13"


@pytest.fixture
def cache_app(make_app):
    try:
        redis.Redis.from_url(REDIS_TEST_URL).ping()
    except redis.ConnectionError:
        pytest.fail("Redis is not running on 127.0.0.1:6379 (make test starts it)")
    return make_app(REDIS_URL=REDIS_TEST_URL)


@pytest.fixture
def namespace() -> str:
    """Keys of this test only (other test processes share the Redis database)."""
    return f"test-{uuid.uuid4().hex}"


def test_visitors_missing_the_same_entry_share_one_computation(cache_app, namespace):
    calls = []

    def slow() -> str:
        calls.append(1)
        time.sleep(0.3)
        return "counted"

    answers = []

    def visit():
        with cache_app.app_context():
            answers.append(cached_text(namespace, ("survey", 1), 60, slow))

    visitors = [threading.Thread(target=visit) for _ in range(4)]
    for visitor in visitors:
        visitor.start()
    for visitor in visitors:
        visitor.join()
    assert answers == ["counted"] * 4
    assert len(calls) == 1
    with cache_app.app_context():
        assert cached_text(namespace, ("survey", 1), 60, slow) == "counted"
    assert len(calls) == 1


def test_a_failed_computation_lets_the_next_visitor_compute(cache_app, namespace):
    def broken() -> str:
        raise RuntimeError("database gone")

    with cache_app.app_context():
        with pytest.raises(RuntimeError):
            cached_text(namespace, ("survey", 2), 60, broken)
        begun = time.monotonic()
        assert cached_text(namespace, ("survey", 2), 60, lambda: "again") == "again"
        assert time.monotonic() - begun < 3  # the lock was released: nobody waits 5 s for it


def test_without_redis_every_visitor_computes(make_app):
    application = make_app(REDIS_URL="redis://127.0.0.1:1/0")
    with application.app_context():
        assert cached_text("test", ("survey", 3), 60, lambda: "counted") == "counted"
