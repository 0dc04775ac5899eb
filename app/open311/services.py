"""Writes for Open311: issuing and revoking API keys, and ideas submitted by clients."""

import hashlib
import re
import secrets
from datetime import UTC, datetime

from sqlalchemy import select

from app.accounts.models import User
from app.audit import record
from app.categories.models import Category
from app.extensions import db
from app.ideas.models import Idea, IdeaChannel
from app.ideas.services import TITLE_MAX, TITLE_MIN, IdeaValidationError, NewIdea, create_idea
from app.open311.models import ApiKey

TOKEN_BYTES = 32


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_key(name: str, actor: User | None) -> tuple[ApiKey, str]:
    """A new key and its token (shown once). Raises ValueError for a bad name."""
    name = (name or "").strip()
    if not 2 <= len(name) <= 120:
        raise ValueError("name")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    key = ApiKey(name=name, key_hash=hash_token(token), prefix=token[:8], created_by=actor)
    db.session.add(key)
    db.session.flush()
    record(actor, "open311.key_issued", f"open311_api_key:{key.id}", after={"name": name})
    return key, token


def revoke_key(key: ApiKey, actor: User | None) -> None:
    if key.revoked_at is None:
        key.revoked_at = datetime.now(UTC)
        record(actor, "open311.key_revoked", f"open311_api_key:{key.id}", before={"name": key.name})
        db.session.flush()


def key_for_token(token: str | None) -> ApiKey | None:
    """The active key for a token, or None (unknown, empty or revoked)."""
    if not token:
        return None
    key = db.session.scalar(select(ApiKey).where(ApiKey.key_hash == hash_token(token)))
    if key is None or key.revoked_at is not None:
        return None
    return key


def derive_title(description: str) -> str:
    """A title from the first sentence of a description, cut at a word near the limit."""
    text = re.sub(r"\s+", " ", description or "").strip()
    sentence = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0].rstrip(".!? ")
    if len(sentence) < TITLE_MIN:
        sentence = text
    if len(sentence) <= TITLE_MAX:
        return sentence
    cut = sentence[: TITLE_MAX - 1].rsplit(" ", 1)[0]
    return (cut if len(cut) >= TITLE_MIN else sentence[: TITLE_MAX - 1]) + "…"


def create_request(
    key: ApiKey,
    service_code: str,
    description: str,
    lon: float | None,
    lat: float | None,
    title: str | None = None,
    address: str | None = None,
) -> Idea:
    """An idea from an Open311 client, through the same validation as the web form."""
    category = db.session.scalar(
        select(Category).where(Category.slug == service_code, Category.active.is_(True))
    )
    if category is None:
        raise IdeaValidationError({"service_code": "unknown"})
    idea = create_idea(
        NewIdea(
            title=(title or "").strip() or derive_title(description),
            description=description or "",
            category_id=category.id,
            lon=lon,
            lat=lat,
            place_description=(address or "").strip()[:300] or None,
            channel=IdeaChannel.OPEN311,
        ),
        author=None,
    )
    key.last_used_at = datetime.now(UTC)
    db.session.flush()
    return idea
