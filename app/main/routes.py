"""Home page, language entry point, health check, static pages, tiles and vendor assets."""

from flask import (
    abort,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    send_from_directory,
    url_for,
)
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.core.auth import public
from app.core.security import csp_nonce
from app.core.tiles import tile_png
from app.extensions import db
from app.i18n import preferred_language
from app.main import bp
from app.maps.render import render_map
from app.maps.territories import territories_map
from app.territories import queries as territory_queries

VENDOR_PACKAGES = {
    "leaflet": "leaflet/dist",
    "leaflet.markercluster": "leaflet.markercluster/dist",
    "leaflet.heat": "leaflet.heat/dist",
}


@bp.route("/")
@public
def root():
    return redirect(url_for("main.index", lang=preferred_language()))


@bp.route("/<lang>/")
@public
def index():
    geojson = territory_queries.territories_geojson(lang=g.lang)
    fmap = territories_map(
        geojson,
        territory_queries.territories_bounds(),
        current_app.config["TILE_URL"],
        current_app.config["TILE_ATTRIBUTION"],
    )
    return render_template(
        "main/index.html",
        rendered_map=render_map(fmap, csp_nonce()),
        territories=territory_queries.territories_summary(),
        approximate=territory_queries.any_approximate(),
    )


@bp.route("/<lang>/privacy")
@public
def privacy():
    return render_template("main/privacy.html")


@bp.route("/<lang>/accessibility")
@public
def accessibility():
    return render_template("main/accessibility.html")


@bp.route("/healthz")
@public
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="error", database="unavailable"), 503
    return jsonify(status="ok", database="ok")


@bp.route("/tiles/<int:z>/<int:x>/<int:y>.png")
@public
def tiles(z: int, x: int, y: int):
    if not (0 <= z <= 19 and 0 <= x < 2**z and 0 <= y < 2**z):
        abort(404)
    body, cacheable = tile_png(z, x, y)
    response = current_app.response_class(body, mimetype="image/png")
    response.headers["Cache-Control"] = (
        "public, max-age=604800" if cacheable else "public, max-age=300"
    )
    return response


@bp.route("/vendor/<package>/<path:filename>")
@public
def vendor(package: str, filename: str):
    folder = VENDOR_PACKAGES.get(package)
    if folder is None:
        abort(404)
    response = send_from_directory(
        f"{current_app.config['VENDOR_DIR']}/{folder}", filename, max_age=86400 * 30
    )
    return response
