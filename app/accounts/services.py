"""Writes for accounts: registration, passwords, confirmation and reset tokens."""

import secrets
import threading
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from app.accounts.models import Role, User
from app.extensions import db

# argon2id with OWASP's recommended cost (19 MiB, 2 passes, 1 lane). The library's default
# takes 64 MiB a hash: a few sign-ins at once would double a small web worker's memory.
# Hashes made with other parameters still verify and are redone at the next sign-in.
hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# One hash at a time per process bounds that memory whatever the thread count.
_hashing = threading.BoundedSemaphore(1)
# Verified against when no account matches, so a wrong e-mail costs the same time.
_DUMMY_HASH = hasher.hash("kopa-dummy-password")


def hash_password(password: str) -> str:
    with _hashing:
        return hasher.hash(password)


def _verify(password_hash: str, password: str) -> None:
    with _hashing:
        hasher.verify(password_hash, password)


def new_session_token() -> str:
    return secrets.token_hex(16)


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email.strip()))


def create_user(
    email: str,
    password: str,
    display_name: str,
    locale: str = "lv",
    role: Role = Role.RESIDENT,
    confirmed: bool = False,
    home_territory_id: int | None = None,
) -> User:
    """Add a user; flushes so the caller sees its id. The e-mail must be free."""
    user = User(
        email=email.strip(),
        password_hash=hash_password(password),
        display_name=display_name.strip(),
        locale=locale,
        role=role,
        session_token=new_session_token(),
        home_territory_id=home_territory_id,
        email_confirmed_at=datetime.now(UTC) if confirmed else None,
    )
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user whose e-mail and password match, or None (same cost either way)."""
    user = find_user_by_email(email)
    try:
        _verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None:
        return None
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def rotate_session(user: User) -> None:
    """Invalidate every existing session cookie of this user."""
    user.session_token = new_session_token()


def set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    rotate_session(user)


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def confirmation_token(user: User) -> str:
    return _serializer("confirm-email").dumps({"id": user.id, "email": user.email})


def confirm_email(token: str) -> User | None:
    """Mark the e-mail confirmed when the signed link is genuine and fresh."""
    try:
        data = _serializer("confirm-email").loads(
            token, max_age=current_app.config["EMAIL_TOKEN_MAX_AGE"]
        )
    except (BadSignature, SignatureExpired):
        return None
    user = db.session.get(User, data.get("id"))
    if user is None or user.email.lower() != str(data.get("email", "")).lower():
        return None
    if user.email_confirmed_at is None:
        user.email_confirmed_at = datetime.now(UTC)
    return user


def reset_token(user: User) -> str:
    # The hash fragment makes a link single-use: it dies once the password changes.
    return _serializer("reset-password").dumps({"id": user.id, "h": user.password_hash[-16:]})


def user_for_reset_token(token: str) -> User | None:
    try:
        data = _serializer("reset-password").loads(
            token, max_age=current_app.config["RESET_TOKEN_MAX_AGE"]
        )
    except (BadSignature, SignatureExpired):
        return None
    user = db.session.get(User, data.get("id"))
    if user is None or user.password_hash[-16:] != data.get("h"):
        return None
    return user
