"""Map answers shared between visitors, never stale: Redis entries keyed by a data version.

Every committed write that can change what the map shows (ideas, supports, comments,
categories, territories) bumps a version number in Redis *after* the commit; cached answers
are stored under the version that was current when they were read, so a new, edited or
hidden idea is visible to the next request. A reader that computed its answer just before a
commit stores it under the old version, which nobody asks for any more.

Redis down changes nothing but speed: answers are computed, writes still succeed.
Every process that writes must run with the cache on (IDEAS_GEOJSON_CACHE_SECONDS > 0) and
the same REDIS_URL as the processes that read, which one configuration gives.
"""

import gzip
import hashlib
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

import redis
from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.core.cache import (
    release,
    shared_redis,
    store_and_release,
    take_lock,
    take_turn_or_wait,
)

log = logging.getLogger("kopa.cache")

# Tables whose rows reach the map's GeoJSON (directly, through a counter or a filter).
WATCHED_TABLES = frozenset({"ideas", "supports", "comments", "categories", "territories"})
_CHANGED = "kopa_ideas_map_changed"
# The target of a write in raw SQL (a TRUNCATE may list several tables: all are looked at).
_WRITE_TARGET = re.compile(
    r"\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+(?:ONLY\s+)?"
    r"((?:\"?\w+\"?(?:\s*,\s*)?)+)",
    re.IGNORECASE,
)


def enabled() -> bool:
    return has_app_context() and current_app.config["IDEAS_GEOJSON_CACHE_SECONDS"] > 0


def _version_key() -> str:
    # One Redis may serve several databases (tests, the benchmark): keep them apart.
    from app.extensions import db

    return f"kopa:{db.engine.url.database}:ideas-map-version"


def current_version(client: redis.Redis) -> int:
    """The data version; a missing key starts from the clock, never from an old number."""
    key = _version_key()
    value = client.get(key)
    if value is None:
        client.set(key, time.time_ns(), nx=True)
        value = client.get(key)
    return int(value)


def bump_version(force: bool = False) -> None:
    """Make every cached map answer obsolete (after a commit that changed the map's data).

    `force`: even from a process with the cache off, e.g. after a bulk load that wrote
    through psycopg rather than the ORM (the benchmark's generator).
    """
    if not (enabled() or (force and has_app_context())):
        return
    key = _version_key()
    try:
        pipe = shared_redis().pipeline(transaction=False)
        pipe.set(key, time.time_ns(), nx=True)
        pipe.incr(key)
        pipe.execute()
    except redis.RedisError as exc:
        # Entries written before the outage expire after IDEAS_GEOJSON_CACHE_SECONDS.
        log.warning("cache unavailable, map version not bumped: %s", exc)


ETAG_LENGTH = 32


@dataclass(frozen=True)
class MapAnswer:
    """One answer: its ETag (of the JSON text), and the text or its gzip form or both.

    Shared answers are kept gzipped: a street full of ideas is 250 KB of JSON but 20 KB
    gzipped, which is what Redis, the worker and the socket then move on every hit.
    """

    etag: str
    text: str | None = None
    gzipped: bytes | None = None

    @classmethod
    def of(cls, text: str, compress: bool = False) -> "MapAnswer":
        etag = hashlib.sha256(text.encode()).hexdigest()[:ETAG_LENGTH]
        packed = gzip.compress(text.encode(), compresslevel=6, mtime=0) if compress else None
        return cls(etag=etag, text=text, gzipped=packed)

    def as_text(self) -> str:
        return self.text if self.text is not None else gzip.decompress(self.gzipped).decode()


def cached_map_answer(
    parts: tuple, compute: Callable[[], str], stale_ok: bool = False
) -> MapAnswer:
    """compute(), or the answer stored for the same parts and the same data version.

    One entry per parts holds the version it was computed at; the version and the entry
    come back in one round trip (MGET), and an entry of an older version is a miss. Visitors
    who miss the same answer at once share one computation. With `stale_ok` (cluster
    counts, whose recomputation reads the whole table) they get the previous answer while
    that computation runs, instead of waiting for it.
    """
    seconds = current_app.config["IDEAS_GEOJSON_CACHE_SECONDS"]
    if seconds <= 0:
        return MapAnswer.of(compute())
    client = shared_redis()
    key = "kopa:ideas-map:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    try:
        version, stored = client.mget(_version_key(), key)
        version = int(version) if version is not None else current_version(client)
    except (redis.RedisError, ValueError) as exc:
        log.warning("cache unavailable, computing the ideas map: %s", exc)
        return MapAnswer.of(compute())
    lock = f"{key}:{version}:computing"
    hit = _of_version(stored, version)
    if hit is None and stale_ok and stored is not None:
        if not take_lock(client, lock):  # another visitor computes it: the last answer now
            hit = stored.partition(b"\n")[2]
    elif hit is None:
        hit = take_turn_or_wait(client, lock, lambda: _of_version(client.get(key), version))
    if hit is not None:
        return MapAnswer(etag=hit[:ETAG_LENGTH].decode(), gzipped=hit[ETAG_LENGTH:])
    try:
        answer = MapAnswer.of(compute(), compress=True)
    except BaseException:
        release(client, lock)
        raise
    value = b"%d\n" % version + answer.etag.encode() + answer.gzipped
    store_and_release(client, key, value, seconds, lock)
    return answer


def _of_version(stored: bytes | None, version: int) -> bytes | None:
    """The stored ETag and body if they were computed at `version`, else None."""
    if stored is None:
        return None
    head, _, rest = stored.partition(b"\n")
    return rest if head == b"%d" % version else None


# --- noticing writes ----------------------------------------------------------------------


def _touches_map(table: str | None) -> bool:
    return bool(table) and table.lower() in WATCHED_TABLES


def _writes_to_map(sql: str) -> bool:
    for match in _WRITE_TARGET.finditer(sql):
        for name in match.group(1).split(","):
            if _touches_map(name.strip().strip('"')):
                return True
    return False


@event.listens_for(Session, "after_flush")
def _note_flushed_rows(session: Session, _context) -> None:
    for obj in (*session.new, *session.dirty, *session.deleted):
        if _touches_map(getattr(obj, "__tablename__", None)):
            session.info[_CHANGED] = True
            return


@event.listens_for(Session, "do_orm_execute")
def _note_statements(state) -> None:
    statement = state.statement
    if state.is_insert or state.is_update or state.is_delete:
        changed = _touches_map(getattr(getattr(statement, "table", None), "name", None))
    else:
        changed = _writes_to_map(getattr(statement, "text", "") or "")
    if changed:
        state.session.info[_CHANGED] = True


@event.listens_for(Session, "after_commit")
def _bump_after_commit(session: Session) -> None:
    if session.info.pop(_CHANGED, False):
        bump_version()


@event.listens_for(Session, "after_transaction_end")
def _forget_uncommitted(session: Session, transaction) -> None:
    # Rolled back or closed without a commit: nothing reached other visitors.
    if transaction.parent is None:
        session.info.pop(_CHANGED, None)
