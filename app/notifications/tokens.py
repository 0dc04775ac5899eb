"""Signed unsubscribe tokens: they work without signing in and cannot be forged."""

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

SALT = "kopa.notifications.unsubscribe"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def unsubscribe_token(user_id: int, email: str) -> str:
    return _serializer().dumps({"u": user_id, "e": email.lower()})


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(user id, e-mail) from a genuine token, None for a tampered or malformed one."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    return data["u"], str(data.get("e", ""))
