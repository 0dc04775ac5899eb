"""Rate limits of the public APIs (JSON API and Open311): per client IP, and per API key.

The numbers are settings (RATELIMIT_API, RATELIMIT_API_KEY in config.py); the counters live in
Redis so that every gunicorn worker shares them. A client over a limit gets 429 + Retry-After.
"""

import hashlib

from flask import current_app, request
from flask_limiter.util import get_remote_address

from app.api import bp
from app.extensions import limiter


def api_ip_limit() -> str:
    return current_app.config["RATELIMIT_API"]


def api_key_limit() -> str:
    return current_app.config["RATELIMIT_API_KEY"]


def api_key_identity() -> str:
    """Requests that carry the same API key share one budget (the token itself is not kept)."""
    token = (request.form.get("api_key") or request.args.get("api_key") or "").strip()
    if not token:
        return "ip:" + get_remote_address()
    return "api_key:" + hashlib.sha256(token.encode()).hexdigest()[:32]


# One budget per IP address for the whole public API (JSON API and Open311 share it).
API_SCOPE = "public-api"
limiter.shared_limit(api_ip_limit, scope=API_SCOPE)(bp)
