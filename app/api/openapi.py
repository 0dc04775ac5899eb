"""GET /api/v1/openapi.json: the OpenAPI 3.1 description of the JSON API and of Open311."""

from flask import current_app, jsonify

from app.api import bp
from app.core.auth import public
from app.ideas.models import IdeaStatus

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "integer", "description": "The HTTP status."},
                "reason": {
                    "type": "string",
                    "description": "A stable word for programs, such as bbox_required or "
                    "unknown_parameter; the message is in the language of ?lang= or "
                    "Accept-Language (Latvian by default).",
                },
                "message": {"type": "string"},
            },
        }
    },
}
POINT = {
    "type": "object",
    "required": ["type", "coordinates"],
    "properties": {
        "type": {"const": "Point"},
        "coordinates": {"type": "array", "items": {"type": "number"}, "minItems": 2},
    },
}
FEATURE = {
    "type": "object",
    "required": ["type", "geometry", "properties"],
    "properties": {
        "type": {"const": "Feature"},
        "id": {"type": ["integer", "string"]},
        "geometry": {"type": "object", "required": ["type", "coordinates"]},
        "properties": {"type": "object"},
    },
}
IDEA_COLLECTION = {
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"const": "FeatureCollection"},
        "bbox": {
            "type": "array",
            "items": {"type": "number"},
            "minItems": 4,
            "maxItems": 4,
            "description": "west, south, east, north of the area answered: with a zoom, the "
            "requested bbox grown to whole map tiles of that zoom (so nearby views share one "
            "answer); without a zoom, the bbox as requested.",
        },
        "clustered": {
            "type": "boolean",
            "description": "True when ideas are grouped into clusters (low zoom or many ideas).",
        },
        "features": {
            "type": "array",
            "maxItems": 1000,
            "items": {
                "allOf": [FEATURE, {"type": "object", "properties": {"geometry": POINT}}],
            },
        },
    },
}
TERRITORY_COLLECTION = {
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"const": "FeatureCollection"},
        "features": {"type": "array", "items": FEATURE},
    },
}
OPEN311_ERRORS = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "required": ["code", "description"],
        "properties": {"code": {"type": "integer"}, "description": {"type": "string"}},
    },
}
NULLABLE_STRING = {"type": ["string", "null"]}
SERVICE_REQUEST = {
    "type": "object",
    "required": ["service_request_id", "status", "service_code", "lat", "long"],
    "properties": {
        "service_request_id": {"type": "string"},
        "status": {"enum": ["open", "closed"]},
        "status_notes": NULLABLE_STRING,
        "service_name": {"type": "string"},
        "service_code": {"type": "string"},
        "description": {"type": "string"},
        "agency_responsible": {"type": "string"},
        "service_notice": NULLABLE_STRING,
        "requested_datetime": {"type": "string", "format": "date-time"},
        "updated_datetime": {"type": "string", "format": "date-time"},
        "expected_datetime": NULLABLE_STRING,
        "address": NULLABLE_STRING,
        "address_id": NULLABLE_STRING,
        "zipcode": NULLABLE_STRING,
        "lat": {"type": "number"},
        "long": {"type": "number"},
        "media_url": NULLABLE_STRING,
    },
}
SERVICE = {
    "type": "object",
    "required": ["service_code", "service_name", "metadata", "type"],
    "properties": {
        "service_code": {"type": "string"},
        "service_name": {"type": "string"},
        "description": {"type": "string"},
        "metadata": {"type": "boolean"},
        "type": {"enum": ["realtime", "batch", "blackbox"]},
        "keywords": {"type": "string"},
        "group": {"type": "string"},
    },
}
DISCOVERY = {
    "type": "object",
    "required": ["changeset", "endpoints"],
    "properties": {
        "changeset": {"type": "string"},
        "contact": {"type": "string"},
        "key_service": {"type": "string"},
        "endpoints": {"type": "array", "items": {"type": "object"}},
    },
}


def _json(description: str, schema: dict, media: str = "application/json") -> dict:
    return {"description": description, "content": {media: {"schema": schema}}}


def _open311(description: str, schema: dict, fmt: str) -> dict:
    if fmt == "xml":
        return _json(description, {"type": "string"}, "text/xml")
    return _json(description, schema)


def _query(name: str, schema: dict, description: str, required: bool = False, example=None) -> dict:
    parameter = {
        "name": name,
        "in": "query",
        "required": required,
        "schema": schema,
        "description": description,
    }
    if example is not None:
        parameter["example"] = example
    return parameter


IDEA_PARAMETERS = [
    _query(
        "bbox",
        {"type": "string", "pattern": r"^[^,]+,[^,]+,[^,]+,[^,]+$"},
        "west,south,east,north in degrees (WGS 84), west < east and south < north.",
        required=True,
        example="26.8,56.75,27.9,57.4",
    ),
    _query("status", {"enum": [s.value for s in IdeaStatus]}, "Only ideas with this status."),
    _query("category", {"type": "string", "maxLength": 40}, "A category slug, such as roads."),
    _query("territory", {"type": "string", "pattern": r"^[0-9]{1,9}$"}, "Territorial unit id."),
    _query("q", {"type": "string", "maxLength": 200}, "Words to search in titles and texts."),
    _query(
        "zoom",
        {"type": "integer", "minimum": 0, "maximum": 22},
        "Map zoom; below the clustering zoom ideas come as clusters. With a zoom the bbox "
        "is grown to whole map tiles of that zoom (see bbox in the response).",
    ),
    _query("lang", {"enum": ["lv", "en"]}, "Language of labels (default: Accept-Language)."),
]

REQUEST_FILTERS = [
    _query("service_request_id", {"type": "string"}, "Comma-separated ids; other filters ignored."),
    _query("service_code", {"type": "string"}, "Comma-separated service codes."),
    _query("status", {"enum": ["open", "closed"]}, "open or closed."),
    _query("start_date", {"type": "string", "format": "date-time"}, "Earliest request time."),
    _query("end_date", {"type": "string", "format": "date-time"}, "Latest request time."),
    _query("page", {"type": "integer", "minimum": 1, "maximum": 100000}, "Page, from 1."),
    _query("page_size", {"type": "integer", "minimum": 1, "maximum": 1000}, "Default 100."),
]

POST_FORM = {
    "type": "object",
    "required": ["api_key", "service_code", "lat", "long", "description"],
    "properties": {
        "api_key": {"type": "string", "description": "Issued by the municipality."},
        "service_code": {"type": "string"},
        "lat": {"type": "number"},
        "long": {"type": "number"},
        "description": {"type": "string", "minLength": 20, "maxLength": 5000},
        "attribute[title]": {"type": "string", "minLength": 5, "maxLength": 120},
        "address_string": {"type": "string", "maxLength": 300},
    },
}


def _open311_paths() -> dict:
    paths: dict = {}
    for fmt in ("json", "xml"):
        errors = _open311("Error in the Open311 format.", OPEN311_ERRORS, fmt)
        paths[f"/open311/v2/discovery.{fmt}"] = {
            "get": {
                "tags": ["Open311"],
                "summary": "Service discovery",
                "operationId": f"open311_discovery_{fmt}",
                "responses": {"200": _open311("Discovery document.", DISCOVERY, fmt)},
            }
        }
        paths[f"/open311/v2/services.{fmt}"] = {
            "get": {
                "tags": ["Open311"],
                "summary": "Service list (our idea categories)",
                "operationId": f"open311_services_{fmt}",
                "responses": {
                    "200": _open311("Services.", {"type": "array", "items": SERVICE}, fmt)
                },
            }
        }
        requests_list = {"type": "array", "items": SERVICE_REQUEST}
        paths[f"/open311/v2/requests.{fmt}"] = {
            "get": {
                "tags": ["Open311"],
                "summary": "Public ideas as service requests, newest first",
                "description": (
                    "Without start_date, end_date or service_request_id, the last 90 days."
                ),
                "operationId": f"open311_requests_{fmt}",
                "parameters": REQUEST_FILTERS,
                "responses": {
                    "200": _open311("Service requests.", requests_list, fmt),
                    "400": errors,
                },
            },
            "post": {
                "tags": ["Open311"],
                "summary": "Submit an idea (needs an API key)",
                "operationId": f"open311_create_{fmt}",
                "requestBody": {
                    "required": True,
                    "content": {"application/x-www-form-urlencoded": {"schema": POST_FORM}},
                },
                "responses": {
                    "201": _open311(
                        "Created.",
                        {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["service_request_id"],
                                "properties": {
                                    "service_request_id": {"type": "string"},
                                    "service_notice": NULLABLE_STRING,
                                    "account_id": NULLABLE_STRING,
                                },
                            },
                        },
                        fmt,
                    ),
                    "400": errors,
                    "403": errors,
                    "404": errors,
                    "429": errors,
                },
            },
        }
        paths[f"/open311/v2/requests/{{service_request_id}}.{fmt}"] = {
            "get": {
                "tags": ["Open311"],
                "summary": "One service request",
                "operationId": f"open311_request_{fmt}",
                "parameters": [
                    {
                        "name": "service_request_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                        "example": "1",
                    }
                ],
                "responses": {
                    "200": _open311("A list with the request.", requests_list, fmt),
                    "404": errors,
                },
            }
        }
    return paths


def openapi_document() -> dict:
    too_many = _json("Too many requests; see Retry-After.", ERROR)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Kopā API",
            "version": "1",
            "description": (
                "Public data of Kopā: ideas of residents on a map, territorial units, and an "
                "Open311 GeoReport v2 interface. Ideas data: CC BY 4.0 (the municipality); "
                "boundaries: ODbL 1.0 (OpenStreetMap contributors). Requests are rate-limited "
                "per IP address and per API key (429 with Retry-After)."
            ),
            "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"},
        },
        "servers": [{"url": "/"}],
        "paths": {
            "/api/v1/ideas.geojson": {
                "get": {
                    "tags": ["Ideas"],
                    "summary": "Public ideas in a bounding box (clusters at low zoom)",
                    "operationId": "ideas_geojson",
                    "parameters": IDEA_PARAMETERS,
                    "responses": {
                        "200": _json(
                            "At most 1,000 features.", IDEA_COLLECTION, "application/geo+json"
                        ),
                        "304": {"description": "Not modified (ETag)."},
                        "400": _json("A parameter is missing or wrong.", ERROR),
                        "429": too_many,
                    },
                }
            },
            "/api/v1/territories.geojson": {
                "get": {
                    "tags": ["Territories"],
                    "summary": "Territorial units (towns and parishes)",
                    "operationId": "territories_geojson",
                    "responses": {
                        "200": _json("All units.", TERRITORY_COLLECTION, "application/geo+json"),
                        "304": {"description": "Not modified (ETag)."},
                        "429": too_many,
                    },
                }
            },
            "/api/v1/openapi.json": {
                "get": {
                    "tags": ["Meta"],
                    "summary": "This document",
                    "operationId": "openapi",
                    "responses": {"200": _json("OpenAPI 3.1.", {"type": "object"})},
                }
            },
            **_open311_paths(),
        },
    }


@bp.route("/openapi.json")
@public
def openapi():
    response = jsonify(openapi_document())
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = f"public, max-age={3600 if not current_app.debug else 0}"
    return response
