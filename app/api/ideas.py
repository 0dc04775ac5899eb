"""GET /api/v1/ideas.geojson: public ideas in a bounding box, clustered at low zoom."""

import functools
import json
import math

from flask import current_app, jsonify, request
from flask_babel import force_locale

from app.api import bp
from app.api.routes import geojson_response
from app.core.auth import public
from app.i18n import preferred_language
from app.ideas.map_cache import cached_map_answer
from app.ideas.models import IdeaStatus
from app.ideas.queries import (
    CLUSTER_BELOW_ZOOM,
    IdeaFilters,
    category_exists,
    ideas_geojson,
    snap_bbox,
    territory_exists,
)
from app.ideas.status import STATUS_LABELS

ALLOWED_PARAMETERS = {"bbox", "status", "category", "territory", "q", "zoom", "lang"}
MAX_QUERY_LENGTH = 200
MAX_ZOOM = 22


class BadRequest(ValueError):
    """A parameter the API cannot use; the message goes back to the client."""


def api_error(message: str, code: int = 400):
    response = jsonify(error={"code": code, "message": message})
    response.status_code = code
    response.headers["Cache-Control"] = "no-store"
    return response


def parse_bbox(value: str | None) -> tuple[float, float, float, float]:
    """W,S,E,N as four finite numbers inside ±180/±90 with W < E and S < N."""
    if not value:
        raise BadRequest("bbox is required: bbox=west,south,east,north in degrees (WGS 84).")
    parts = value.split(",")
    if len(parts) != 4:
        raise BadRequest("bbox needs exactly four numbers: west,south,east,north.")
    try:
        west, south, east, north = (float(part) for part in parts)
    except ValueError:
        raise BadRequest("bbox values must be numbers.") from None
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise BadRequest("bbox values must be finite numbers.")
    if not (-180 <= west <= 180 and -180 <= east <= 180):
        raise BadRequest("bbox longitudes must be between -180 and 180.")
    if not (-90 <= south <= 90 and -90 <= north <= 90):
        raise BadRequest("bbox latitudes must be between -90 and 90.")
    if not west < east:
        raise BadRequest("bbox west must be less than east.")
    if not south < north:
        raise BadRequest("bbox south must be less than north.")
    return west, south, east, north


def parse_filters(args) -> IdeaFilters:
    status = args.get("status") or None
    if status is not None and status not in {s.value for s in IdeaStatus}:
        raise BadRequest("status must be one of: " + ", ".join(s.value for s in IdeaStatus) + ".")
    category = args.get("category") or None
    if category is not None and (len(category) > 40 or not category.replace("-", "").isalnum()):
        raise BadRequest("category must be a category slug, such as 'roads'.")
    if category is not None and not category_exists(category):
        raise BadRequest(f"Unknown category: {category}.")
    territory = args.get("territory") or None
    if territory is not None:
        if not territory.isdigit() or len(territory) > 9:
            raise BadRequest("territory must be the numeric id of a territorial unit.")
        territory = int(territory)
        if not territory_exists(territory):
            raise BadRequest(f"Unknown territory: {territory}.")
    q = (args.get("q") or "").strip() or None
    if q is not None and len(q) > MAX_QUERY_LENGTH:
        raise BadRequest(f"q must be at most {MAX_QUERY_LENGTH} characters.")
    return IdeaFilters(
        status=IdeaStatus(status) if status else None, category=category, territory=territory, q=q
    )


def parse_zoom(value: str | None) -> int | None:
    if value is None or value == "":
        return None
    if not value.isdigit() or int(value) > MAX_ZOOM:
        raise BadRequest(f"zoom must be a whole number from 0 to {MAX_ZOOM}.")
    return int(value)


def parse_lang(value: str | None) -> str:
    languages = current_app.config["LANGUAGES"]
    if value is None or value == "":
        return preferred_language()
    if value not in languages:
        raise BadRequest("lang must be one of: " + ", ".join(languages) + ".")
    return value


@functools.cache
def _status_labels(lang: str, _app_id: int) -> tuple[tuple[str, str], ...]:
    with force_locale(lang):
        return tuple((status.value, str(label)) for status, label in STATUS_LABELS.items())


def status_labels(lang: str) -> dict[str, str]:
    """The status names in `lang`, translated once per process (and per app, for tests)."""
    return dict(_status_labels(lang, id(current_app._get_current_object())))


@bp.route("/ideas.geojson")
@public
def ideas():
    unknown = sorted(set(request.args) - ALLOWED_PARAMETERS)
    if unknown:
        return api_error(
            "Unknown parameter(s): "
            + ", ".join(unknown)
            + ". Allowed: "
            + ", ".join(sorted(ALLOWED_PARAMETERS))
            + "."
        )
    repeated = sorted(k for k in request.args if len(request.args.getlist(k)) > 1)
    if repeated:
        return api_error("Each parameter may be given once: " + ", ".join(repeated) + ".")
    try:
        bbox = parse_bbox(request.args.get("bbox"))
        filters = parse_filters(request.args)
        zoom = parse_zoom(request.args.get("zoom"))
        lang = parse_lang(request.args.get("lang"))
    except BadRequest as error:
        return api_error(str(error))
    labels = status_labels(lang)
    url_prefix = f"{request.script_root}/{lang}/ideas/"

    # With a zoom, the box grows to whole map tiles of that zoom, so that visitors looking
    # at nearly the same place ask for (and share) the same answer; the response says
    # which box it covers. Without a zoom the box is used as given.
    place: tuple = ("bbox", bbox)
    if zoom is not None:
        snapped = snap_bbox(bbox, zoom)
        bbox = snapped.bbox
        place = ("tiles", zoom, snapped.tiles)

    def compute() -> str:
        body = ideas_geojson(bbox, filters, zoom, lang, labels, url_prefix=url_prefix)
        # The collection's own members first: "bbox" is the box the answer covers.
        return '{"bbox": ' + json.dumps(list(bbox)) + ", " + body[1:]

    # Shared between visitors through Redis, keyed by a version of the ideas data that every
    # write bumps: the answer is never older than the last committed change.
    parts = (place, sorted(vars(filters).items()), lang, url_prefix, sorted(labels.items()))
    # Cluster counts may lag a write by the time their recomputation takes (a whole
    # municipality of a million ideas: over a second); single ideas never do.
    clustered = zoom is not None and zoom < CLUSTER_BELOW_ZOOM
    answer = cached_map_answer(parts, compute, stale_ok=clustered)
    if answer.gzipped is not None and request.accept_encodings["gzip"] > 0:
        response = geojson_response(answer.gzipped, 30, etag=answer.etag, gzipped=True)
    else:
        response = geojson_response(answer.as_text(), 30, etag=answer.etag)
    response.vary.add("Accept-Language")
    return response
