"""The public JSON API."""

import hashlib

from flask import current_app, request

from app.api import bp
from app.core.auth import public
from app.territories.queries import territories_geojson


def geojson_response(body: str, max_age: int = 60):
    """A GeoJSON body with a strong ETag, answering 304 when the client has it."""
    etag = hashlib.sha256(body.encode()).hexdigest()[:32]
    response = current_app.response_class(body, mimetype="application/geo+json")
    response.set_etag(etag)
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response.make_conditional(request)


@bp.route("/territories.geojson")
@public
def territories():
    return geojson_response(territories_geojson(), max_age=3600)
