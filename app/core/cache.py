"""A short-lived shared cache for expensive public responses, kept in Redis.

Only for answers whose HTTP Cache-Control already allows the same staleness; if Redis is
unreachable the value is simply computed, never an error.
"""

import hashlib
import logging
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


def cached_text(namespace: str, parts: tuple, seconds: int, compute: Callable[[], str]) -> str:
    """compute(), or its result from the last `seconds` for the same namespace and parts."""
    if seconds <= 0:
        return compute()
    key = f"kopa:{namespace}:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    try:
        hit = _client().get(key)
    except redis.RedisError as exc:
        log.warning("cache unavailable, computing %s: %s", namespace, exc)
        return compute()
    if hit is not None:
        return hit.decode()
    value = compute()
    try:
        _client().set(key, value.encode(), ex=seconds)
    except redis.RedisError as exc:
        log.warning("cache unavailable, not storing %s: %s", namespace, exc)
    return value
