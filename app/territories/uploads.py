"""Boundary files kept between the preview and the import of the admin page.

The file goes to a folder of its own under instance/ with a random name; the page carries only
a signed, expiring token naming it, so no path ever comes from the user. A file is deleted after
its import, and any file older than the token's lifetime goes at the next upload.
"""

import secrets
import time
from pathlib import Path

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

MAX_AGE_SECONDS = 3600
_SALT = "kopa.territories.upload"
_SUFFIX = ".geojson"


def upload_folder() -> Path:
    configured = current_app.config.get("TERRITORY_IMPORT_DIR")
    folder = Path(configured) if configured else Path(current_app.instance_path) / "boundary-files"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def keep(raw: bytes, municipality: str, filename: str) -> str:
    """Store the bytes under a random name; the signed token for the confirmation form."""
    remove_stale()
    key = secrets.token_hex(16)
    (upload_folder() / f"{key}{_SUFFIX}").write_bytes(raw)
    return _serializer().dumps({"key": key, "municipality": municipality, "filename": filename})


def open_kept(token: str) -> tuple[bytes, dict] | None:
    """The kept bytes and what the token says about them; None if the token is forged,
    expired or its file is gone."""
    try:
        claims = _serializer().loads(token, max_age=MAX_AGE_SECONDS)
    except BadSignature:
        return None
    path = _path(claims)
    if path is None or not path.is_file():
        return None
    return path.read_bytes(), claims


def discard(claims: dict) -> None:
    path = _path(claims)
    if path is not None:
        path.unlink(missing_ok=True)


def _path(claims: object) -> Path | None:
    key = claims.get("key") if isinstance(claims, dict) else None
    if not isinstance(key, str) or len(key) != 32 or not all(c in "0123456789abcdef" for c in key):
        return None
    return upload_folder() / f"{key}{_SUFFIX}"


def remove_stale() -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in upload_folder().glob(f"*{_SUFFIX}"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except FileNotFoundError:  # another worker was quicker
            continue
