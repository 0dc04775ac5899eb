"""Localized error pages (JSON for the API); never a traceback."""

import logging
from contextlib import suppress

from flask import abort, g, jsonify, render_template, request
from sqlalchemy.exc import DataError, DBAPIError, OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from app.extensions import db
from app.i18n import _, _l, api_language, preferred_language
from app.main import bp

log = logging.getLogger("kopa.errors")

MESSAGES = {
    400: (
        _l("Bad request"),
        _l("The request could not be understood. Please check what you entered."),
    ),
    401: (_l("Sign-in required"), _l("Please sign in to open this page.")),
    403: (_l("Access denied"), _l("You do not have permission to open this page.")),
    404: (
        _l("Page not found"),
        _l("There is no page at this address. It may have been moved or removed."),
    ),
    405: (_l("Method not allowed"), _l("This address does not accept that kind of request.")),
    413: (
        _l("Too large"),
        _l(
            "What you sent is larger than Kopā accepts at once. Please send smaller or fewer files."
        ),
    ),
    429: (
        _l("Too many requests"),
        _l("You have made too many requests. Please wait a little and try again."),
    ),
    500: (
        _l("Something went wrong"),
        _l("An unexpected error happened on our side. It has been logged; please try again later."),
    ),
    503: (
        _l("Temporarily unavailable"),
        _l("Kopā is temporarily unavailable. Please try again in a few minutes."),
    ),
}


# A stable word for programs in every JSON error, whatever the language of its message.
STATUS_REASONS = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    429: "too_many_requests",
    500: "internal_error",
    503: "unavailable",
}


def status_reason(code: int) -> str:
    return STATUS_REASONS.get(code, "error")


def wants_json() -> bool:
    return request.path.startswith(("/api/", "/open311/", "/healthz"))


def render_error(code: int, description: str | None = None):
    if not g.get("lang"):
        g.lang = api_language() if wants_json() else preferred_language()
    title, text = MESSAGES.get(code, MESSAGES[500])
    if wants_json():
        error = {"code": code, "reason": status_reason(code), "message": description or str(text)}
        return jsonify(error=error), code
    response = render_template("errors/error.html", code=code, title=title, text=text)
    return response, code


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


@bp.before_app_request
def refuse_nul_characters():
    """PostgreSQL text cannot hold U+0000: a NUL in the query string or in a form is bad input
    (a localized 400), never a database error. Open311 answers it in its own error format."""
    if request.path.startswith("/open311/"):
        return
    sources = [request.args]
    if request.mimetype in FORM_TYPES:
        sources.append(request.form)  # past MAX_CONTENT_LENGTH this is a 413, body unread
    for values in sources:
        if any("\x00" in key or "\x00" in value for key, value in values.items(multi=True)):
            abort(400, description=_("The request contains a NUL character."))


@bp.app_errorhandler(HTTPException)
def http_error(error: HTTPException):
    code = error.code or 500
    if code == 429:
        response = render_error(429)
        retry = getattr(error, "retry_after", None)
        if retry:
            body, status = response
            resp = (body, status, {"Retry-After": str(int(retry))})
            return resp
        return response
    if code == 503:
        db.session.rollback()
    # Our own descriptions are localized; werkzeug's defaults are English, so they give way to
    # the localized text of the status.
    own = error.description != type(error).description
    description = error.description if wants_json() and own and code in (400, 404, 405) else None
    return render_error(code, description)


@bp.app_errorhandler(OperationalError)
@bp.app_errorhandler(DBAPIError)
def database_unavailable(error):
    log.error("database error: %s", error)
    with suppress(Exception):  # the connection may already be gone
        db.session.rollback()
    return render_error(503)


@bp.app_errorhandler(DataError)
def value_out_of_range(error):
    """A value PostgreSQL cannot hold (an id beyond its integers, say): bad input, a 400 and
    not "temporarily unavailable". Logged, so a fault of our own SQL is still seen."""
    log.error("value refused by the database: %s", getattr(error, "orig", error))
    with suppress(Exception):
        db.session.rollback()
    return render_error(400)


def release_database_session(error=None):
    """Release the session before Flask-SQLAlchemy's own teardown would: a connection that died
    after the view's last statement cannot roll back, and that must not turn a finished
    response into a bare 500 from the WSGI server."""
    try:
        db.session.remove()
    except SQLAlchemyError as exc:
        log.warning("database connection lost while releasing it: %s", exc)
        with suppress(Exception):
            db.session.invalidate()  # closes the dead connection instead of leaking it
        db.session.registry.clear()


# Registered on the app (not per request) so it runs exactly where Flask-SQLAlchemy's own
# teardown would, and just before it.
bp.record_once(lambda state: state.app.teardown_appcontext(release_database_session))


@bp.app_errorhandler(InternalServerError)
def internal_error(error):
    original = getattr(error, "original_exception", None)
    if isinstance(original, DataError):
        return value_out_of_range(original)
    if isinstance(original, OperationalError | DBAPIError):
        return database_unavailable(original)
    log.exception("unhandled error", exc_info=original)
    with suppress(Exception):
        db.session.rollback()
    return render_error(500)


__all__ = ["ServiceUnavailable", "_"]
