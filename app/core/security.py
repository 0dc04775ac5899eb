"""Security headers, the per-request CSP nonce and safe redirects."""

import secrets
from urllib.parse import urlsplit

from flask import Flask, g, request


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def _tile_origin(app: Flask) -> str:
    parts = urlsplit(app.config["TILE_URL"].replace("{s}", "a"))
    if parts.scheme and parts.netloc:
        return f"{parts.scheme}://{parts.netloc.replace('a.', '*.', 1)}"
    return ""


def set_security_headers(response):
    from flask import current_app

    nonce = csp_nonce()
    tiles = _tile_origin(current_app)
    policy = [
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        f"style-src 'self' 'nonce-{nonce}'",
        f"img-src 'self' data: blob: {tiles}".rstrip(),
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
    headers = response.headers
    headers.setdefault("Content-Security-Policy", "; ".join(policy))
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    headers["Permissions-Policy"] = (
        "geolocation=(self), camera=(), microphone=(), interest-cohort=()"
    )
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if current_app.config.get("HSTS"):
        headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
    if request.endpoint and not request.endpoint.startswith(("static", "vendor", "tiles")):
        headers.setdefault("Cache-Control", "no-store" if _is_private(response) else "no-cache")
    return response


def _is_private(response) -> bool:
    from flask_login import current_user

    return bool(getattr(current_user, "is_authenticated", False))


def is_safe_next(target: str | None) -> bool:
    """Only our own absolute paths: no scheme, no host, no backslash tricks."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
