"""The public JSON API."""

import hashlib

from flask import current_app, request

from app.api import bp
from app.core.auth import public
from app.territories.queries import territories_geojson


def geojson_response(
    body: str | bytes, max_age: int = 60, etag: str | None = None, gzipped: bool = False
):
    """A GeoJSON body with a strong ETag, answering 304 when the client has it.

    `gzipped`: the body is already gzip-compressed (the client accepts it); the ETag of
    that representation differs from the plain one's, as a strong ETag must.
    """
    if etag is None:
        etag = hashlib.sha256(body if isinstance(body, bytes) else body.encode()).hexdigest()[:32]
    response = current_app.response_class(body, mimetype="application/geo+json")
    if gzipped:
        response.headers["Content-Encoding"] = "gzip"
        etag += "-gzip"
    response.vary.add("Accept-Encoding")
    response.set_etag(etag)
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response.make_conditional(request)


@bp.route("/territories.geojson")
@public
def territories():
    return geojson_response(territories_geojson(), max_age=3600)
