"""A short-lived shared cache for expensive public responses, kept in Redis.

Only for answers whose HTTP Cache-Control already allows the same staleness; if Redis is
unreachable the value is simply computed, never an error.
"""

import hashlib
import logging
import time
from collections.abc import Callable

import redis
from flask import current_app

log = logging.getLogger("kopa.cache")
_clients: dict[str, redis.Redis] = {}


def shared_redis() -> redis.Redis:
    """The app's Redis client with short timeouts: a slow Redis must not slow a page."""
    url = current_app.config["REDIS_URL"]
    if url not in _clients:
        _clients[url] = redis.Redis.from_url(url, socket_timeout=0.2, socket_connect_timeout=0.2)
    return _clients[url]


_client = shared_redis


# How long other visitors wait for one computation of the same entry before their own.
COMPUTE_LOCK_SECONDS = 5


def take_turn_or_wait(
    client: redis.Redis, lock: str, poll: Callable[[], bytes | None]
) -> bytes | None:
    """Many visitors miss the same entry at once (a cold cache, or just after a write): the
    first takes `lock` and gets None (compute it); the others poll() until its result is
    there and get that. None too when the lock is released without a result, after
    COMPUTE_LOCK_SECONDS, or when Redis fails: then they compute it themselves."""
    if take_lock(client, lock):
        return None
    try:
        deadline = time.monotonic() + COMPUTE_LOCK_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.02)
            hit = poll()
            if hit is not None:
                return hit
            if not client.exists(lock):
                # Stored and unlocked between the two reads, or given up: look once more.
                return poll()
    except redis.RedisError:
        return None
    return None


def cached_text(namespace: str, parts: tuple, seconds: int, compute: Callable[[], str]) -> str:
    """compute(), or its result from the last `seconds` for the same namespace and parts;
    visitors who miss the same entry at once share one computation."""
    if seconds <= 0:
        return compute()
    key = f"kopa:{namespace}:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    client = _client()
    try:
        hit = client.get(key)
    except redis.RedisError as exc:
        log.warning("cache unavailable, computing %s: %s", namespace, exc)
        return compute()
    if hit is None:
        hit = take_turn_or_wait(client, f"{key}:computing", lambda: client.get(key))
    if hit is not None:
        return hit.decode()
    lock = f"{key}:computing"
    try:
        value = compute()
    except BaseException:
        release(client, lock)
        raise
    store_and_release(client, key, value.encode(), seconds, lock)
    return value


def take_lock(client: redis.Redis, lock: str) -> bool:
    """True when this visitor is to compute the entry (also when Redis cannot tell)."""
    try:
        return bool(client.set(lock, 1, nx=True, ex=COMPUTE_LOCK_SECONDS))
    except redis.RedisError:
        return True


def release(client: redis.Redis, lock: str) -> None:
    try:
        client.delete(lock)
    except redis.RedisError:
        log.warning("cache unavailable, lock %s left to expire", lock)


def store_and_release(client: redis.Redis, key: str, value: bytes, seconds: int, lock: str) -> None:
    """Keep a computed entry for `seconds` and let the visitors waiting for it have it."""
    try:
        client.pipeline(transaction=False).set(key, value, ex=seconds).delete(lock).execute()
    except redis.RedisError as exc:
        log.warning("cache unavailable, not storing %s: %s", key, exc)
