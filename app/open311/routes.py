"""Open311 GeoReport v2: discovery, services, service requests (read and submit)."""

from datetime import UTC, datetime, timedelta

from flask import current_app, request, url_for
from werkzeug.exceptions import HTTPException

from app.api.limits import API_SCOPE, api_ip_limit, api_key_identity, api_key_limit
from app.core.auth import public
from app.core.geo import parse_coordinate
from app.extensions import csrf, db, limiter
from app.i18n import _
from app.ideas.services import IdeaValidationError
from app.main.errors import MESSAGES
from app.open311 import bp, queries, services
from app.open311.formats import errors, respond

SPEC = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-25T00:00:00Z"
MAX_PAGE_SIZE = 1000
DEFAULT_PAGE_SIZE = 100
DEFAULT_DAYS = 90

limiter.shared_limit(api_ip_limit, scope=API_SCOPE)(bp)


class Open311Error(Exception):
    def __init__(self, code: int, *descriptions: str):
        super().__init__(descriptions)
        self.code = code
        self.descriptions = list(descriptions)


def _fmt() -> str:
    return (request.view_args or {}).get("fmt") or "json"


@bp.errorhandler(Open311Error)
def open311_error(error: Open311Error):
    return errors(error.code, error.descriptions, _fmt())


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException):
    headers = {}
    # The localized text of the status (werkzeug's names are English only).
    known = MESSAGES.get(error.code)
    description = str(known[1]) if known else error.name
    if error.code == 429:
        retry = getattr(error, "retry_after", None)
        if retry:
            headers["Retry-After"] = str(int(retry))
    return errors(error.code or 500, [description], _fmt(), headers=headers)


@bp.route("/discovery.<any(json, xml):fmt>")
@public
def discovery(fmt: str):
    body = {
        "changeset": CHANGESET,
        "contact": current_app.config["MAIL_DEFAULT_SENDER"],
        "key_service": _("API keys are issued by the municipality's administrators."),
        "endpoints": [
            {
                "specification": SPEC,
                "url": url_for("open311.discovery", fmt=fmt, _external=True).rsplit("/", 1)[0],
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }
    return respond(body, fmt, "discovery")


@bp.route("/services.<any(json, xml):fmt>")
@public
def service_list(fmt: str):
    return respond(queries.services(), fmt, "services")


def _int_list(raw: str, name: str) -> list[int]:
    values = [part.strip() for part in raw.split(",") if part.strip()]
    if not values or not all(v.isdigit() and len(v) <= 9 for v in values):
        raise Open311Error(400, _("%(name)s must be a comma-separated list of numbers.", name=name))
    return [int(v) for v in values]


def _date(name: str) -> datetime | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        # A "+" in a query string arrives as a space: 12:00:00+02:00 → "12:00:00 02:00".
        moment = datetime.fromisoformat(raw.replace(" ", "+"))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None or not 1900 <= moment.year <= 2200:
        raise Open311Error(
            400,
            _(
                "%(name)s must be a date and time in W3C format, such as 2026-01-31T12:00:00Z.",
                name=name,
            ),
        )
    return moment


def _positive(name: str, default: int, maximum: int) -> int:
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= maximum:
        raise Open311Error(
            400, _("%(name)s must be a number from 1 to %(max)s.", name=name, max=maximum)
        )
    return int(raw)


def _refuse_nul(values) -> None:
    """PostgreSQL text cannot hold NUL: refuse it as bad input rather than fail in the database."""
    if any("\x00" in key or "\x00" in value for key, value in values.items(multi=True)):
        raise Open311Error(400, _("The request contains a NUL character."))


def request_filter() -> queries.RequestFilter:
    """The query string of GET requests, checked; bad values raise a 400 in Open311 form."""
    _refuse_nul(request.args)
    flt = queries.RequestFilter(
        page=_positive("page", 1, 100_000),
        page_size=_positive("page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
        start=_date("start_date"),
        end=_date("end_date"),
    )
    ids = request.args.get("service_request_id", "").strip()
    if ids:
        flt.service_request_ids = _int_list(ids, "service_request_id")
    codes = request.args.get("service_code", "").strip()
    if codes:
        flt.service_codes = [code.strip() for code in codes.split(",") if code.strip()]
    status = request.args.get("status", "").strip().lower()
    if status:
        wanted = {part.strip() for part in status.split(",")}
        if not wanted <= {"open", "closed"}:
            raise Open311Error(400, _("status must be open or closed."))
        flt.status = wanted.pop() if len(wanted) == 1 else None
    if not (flt.start or flt.end or flt.service_request_ids):
        # The spec's default window: the last 90 days.
        flt.start = datetime.now(UTC) - timedelta(days=DEFAULT_DAYS)
    if flt.start and flt.end and flt.start > flt.end:
        raise Open311Error(400, _("start_date must not be after end_date."))
    return flt


@bp.route("/requests.<any(json, xml):fmt>", methods=["GET"])
@public
def request_list(fmt: str):
    return respond(queries.service_requests(request_filter()), fmt, "service_requests")


# A string, not <int:…>: a malformed id must still get a 404 in the Open311 format.
@bp.route("/requests/<request_id>.<any(json, xml):fmt>")
@public
def request_detail(request_id: str, fmt: str):
    found = []
    if request_id.isascii() and request_id.isdigit() and len(request_id) <= 9:
        found = queries.service_requests(
            queries.RequestFilter(service_request_ids=[int(request_id)])
        )
    if not found:
        raise Open311Error(404, _("service_request_id %(id)s not found.", id=request_id))
    return respond(found, fmt, "service_requests")


def _post_field(name: str) -> str:
    return (request.form.get(name) or "").strip()


# The key goes in the form body, as the spec says, so CSRF (a browser protection) does not apply.
@csrf.exempt
@bp.route("/requests.<any(json, xml):fmt>", methods=["POST"])
@public
@limiter.shared_limit(
    api_key_limit, scope="open311-key", key_func=api_key_identity, override_defaults=False
)
def request_create(fmt: str):
    _refuse_nul(request.form)
    key = services.key_for_token(_post_field("api_key"))
    if key is None:
        raise Open311Error(403, _("api_key was not provided or is not valid."))
    missing = [
        name for name in ("service_code", "description", "lat", "long") if not _post_field(name)
    ]
    if missing:
        raise Open311Error(400, *[_("%(name)s was not provided.", name=name) for name in missing])
    lat, lon = parse_coordinate(_post_field("lat")), parse_coordinate(_post_field("long"))
    if lat is None or lon is None:
        raise Open311Error(400, _("lat and long must be numbers in WGS 84 degrees."))
    service_code = _post_field("service_code")
    if service_code not in queries.service_codes():
        raise Open311Error(404, _("service_code %(code)s not found.", code=service_code))
    try:
        idea = services.create_request(
            key,
            service_code=service_code,
            description=_post_field("description"),
            lon=lon,
            lat=lat,
            title=_post_field("attribute[title]") or None,
            address=_post_field("address_string") or None,
        )
    except IdeaValidationError as error:
        db.session.rollback()
        raise Open311Error(
            400, *[f"{field}: {message}" for field, message in error.errors.items()]
        ) from error
    db.session.commit()
    body = [
        {
            "service_request_id": str(idea.id),
            "service_notice": _("Thank you. The municipality will review the idea."),
            "account_id": None,
        }
    ]
    location = url_for("open311.request_detail", request_id=str(idea.id), fmt=fmt, _external=True)
    return respond(body, fmt, "service_requests", status=201, headers={"Location": location})
