"""Error answers of the JSON API in the reader's language, each with a stable `reason`.

The views check their parameters with plain English messages (app/api/ideas.py). This layer,
run on every error response of the blueprint, recognises each message, adds a `reason` that
programs can rely on whatever the language, and replaces the message with its translation:
`lang` query parameter, then Accept-Language, then Latvian (app.i18n.api_language). Parameter
names and values inside the messages stay as the client sent them.
"""

import json
import re

from flask import Response

from app.api import bp
from app.i18n import _l
from app.main.errors import status_reason

# (reason, the English message as the views word it, the msgid it is translated with).
# The msgid's placeholders are the pattern's named groups.
MESSAGES = [
    (
        "bbox_required",
        r"bbox is required: .*",
        _l("bbox is required: bbox=west,south,east,north in degrees (WGS 84)."),
    ),
    (
        "bbox_not_four_numbers",
        r"bbox needs exactly four numbers: .*",
        _l("bbox needs exactly four numbers: west,south,east,north."),
    ),
    ("bbox_not_numbers", r"bbox values must be numbers\.", _l("bbox values must be numbers.")),
    (
        "bbox_not_finite",
        r"bbox values must be finite numbers\.",
        _l("bbox values must be finite numbers."),
    ),
    (
        "bbox_longitude_range",
        r"bbox longitudes must be between -180 and 180\.",
        _l("bbox longitudes must be between -180 and 180."),
    ),
    (
        "bbox_latitude_range",
        r"bbox latitudes must be between -90 and 90\.",
        _l("bbox latitudes must be between -90 and 90."),
    ),
    (
        "bbox_west_not_less_than_east",
        r"bbox west must be less than east\.",
        _l("bbox west must be less than east."),
    ),
    (
        "bbox_south_not_less_than_north",
        r"bbox south must be less than north\.",
        _l("bbox south must be less than north."),
    ),
    (
        "invalid_status",
        r"status must be one of: (?P<allowed>.*)\.",
        _l("status must be one of: %(allowed)s."),
    ),
    (
        "invalid_category",
        r"category must be a category slug, .*",
        _l("category must be a category slug, such as 'roads'."),
    ),
    (
        "unknown_category",
        r"Unknown category: (?P<category>.*)\.",
        _l("Unknown category: %(category)s."),
    ),
    (
        "invalid_territory",
        r"territory must be the numeric id of a territorial unit\.",
        _l("territory must be the numeric id of a territorial unit."),
    ),
    (
        "unknown_territory",
        r"Unknown territory: (?P<territory>.*)\.",
        _l("Unknown territory: %(territory)s."),
    ),
    (
        "query_too_long",
        r"q must be at most (?P<max>\d+) characters\.",
        _l("q must be at most %(max)s characters."),
    ),
    (
        "invalid_zoom",
        r"zoom must be a whole number from 0 to (?P<max>\d+)\.",
        _l("zoom must be a whole number from 0 to %(max)s."),
    ),
    (
        "invalid_lang",
        r"lang must be one of: (?P<allowed>.*)\.",
        _l("lang must be one of: %(allowed)s."),
    ),
    (
        "unknown_parameter",
        r"Unknown parameter\(s\): (?P<unknown>.*)\. Allowed: (?P<allowed>.*)\.",
        _l("Unknown parameter(s): %(unknown)s. Allowed: %(allowed)s."),
    ),
    (
        "repeated_parameter",
        r"Each parameter may be given once: (?P<repeated>.*)\.",
        _l("Each parameter may be given once: %(repeated)s."),
    ),
]
_COMPILED = [(reason, re.compile(pattern, re.DOTALL), msgid) for reason, pattern, msgid in MESSAGES]


def localize_message(message: str, code: int) -> tuple[str, str]:
    """(reason, the message in the current language) for an English message of the views."""
    for reason, pattern, msgid in _COMPILED:
        match = pattern.fullmatch(message)
        if match:
            text = str(msgid)
            return reason, text % match.groupdict() if match.groupdict() else text
    return status_reason(code), message


@bp.after_request
def localize_error(response: Response) -> Response:
    if response.status_code < 400 or not response.is_json:
        return response
    body = response.get_json(silent=True)
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return response
    if "reason" not in error:  # the app's own error handler has already localized its answer
        code = error.get("code") or response.status_code
        error["reason"], error["message"] = localize_message(str(error.get("message", "")), code)
        response.set_data(json.dumps(body, ensure_ascii=False))
    response.vary.add("Accept-Language")
    return response
