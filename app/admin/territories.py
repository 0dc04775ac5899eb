"""Administrators import and review territorial units: upload, preview, confirm.

The upload is checked with the same service code as `flask territories import`; the preview
says which units would be created and updated (by name) and which stay as they are, and the
file waits under a random name (app.territories.uploads) until the import is confirmed.
"""

import json

from flask import current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.utils import secure_filename

from app import audit
from app.accounts.models import Role
from app.admin import bp
from app.core.auth import role_required
from app.core.forms import refused_status
from app.core.security import csp_nonce
from app.extensions import db
from app.i18n import _
from app.maps.render import render_map
from app.maps.territories import territories_map
from app.territories import queries, uploads
from app.territories.forms import BoundaryUploadForm, ImportConfirmForm
from app.territories.services import (
    MAX_UPLOAD_BYTES,
    ImportError_,
    UnitFeature,
    import_territories,
    parse_boundaries,
    read_limited,
    set_statement_timeout_for_import,
)


def _map(geojson: str, bounds: list[list[float]]):
    config = current_app.config
    fmap = territories_map(geojson, bounds, config["TILE_URL"], config["TILE_ATTRIBUTION"])
    return render_map(fmap, csp_nonce())


def _render_index(form: BoundaryUploadForm, status: int = 200):
    if not form.is_submitted() and not form.municipality.data:
        names = queries.municipality_names()
        form.municipality.data = names[0] if len(names) == 1 else ""
    page = render_template(
        "admin/territories.html",
        form=form,
        units=queries.territories_overview(),
        rendered_map=_map(queries.territories_geojson(), queries.territories_bounds()),
        max_megabytes=MAX_UPLOAD_BYTES // (1024 * 1024),
    )
    return page, status


def _display_filename(name: str | None) -> str:
    """The uploaded file's own name, only to show and to audit: never a path."""
    return secure_filename((name or "").replace("\\", "/").rsplit("/", 1)[-1]) or "upload.geojson"


def _render_preview(units: list[UnitFeature], municipality: str, filename: str, token: str):
    areas, bounds = queries.outline_figures([unit.geometry for unit in units])
    outlines = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": unit.geometry,
                "properties": {"label": unit.name, "kind": unit.kind.value},
            }
            for unit in units
        ],
    }
    return render_template(
        "admin/territories_preview.html",
        plan=queries.import_plan([unit.name for unit in units], municipality),
        units=list(zip(units, areas, strict=True)),
        filename=filename,
        confirm=ImportConfirmForm(token=token),
        rendered_map=_map(json.dumps(outlines), bounds),
    )


@bp.route("/territories", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def territories_index():
    form = BoundaryUploadForm()
    if not form.is_submitted():
        return _render_index(form)
    if form.validate():
        upload = form.boundary_file.data
        filename = _display_filename(upload.filename)
        try:
            raw = read_limited(upload.stream, MAX_UPLOAD_BYTES)
            units = parse_boundaries(raw)
        except ImportError_ as error:
            form.boundary_file.errors = [*form.boundary_file.errors, error.message]
        else:
            token = uploads.keep(raw, form.municipality.data, filename)
            return _render_preview(units, form.municipality.data, filename, token)
    return _render_index(form, refused_status(form))


@bp.route("/territories/import", methods=["POST"])
@role_required(Role.ADMIN)
def territories_import():
    confirm = ImportConfirmForm()
    kept = uploads.open_kept(confirm.token.data or "") if confirm.validate() else None
    if kept is None:
        form = BoundaryUploadForm(formdata=None)
        form.boundary_file.errors = [
            _("The uploaded file has expired or was already imported. Please upload it again.")
        ]
        return _render_index(form, refused_status(confirm))
    raw, claims = kept
    municipality = claims["municipality"]
    try:
        units = parse_boundaries(raw)
        set_statement_timeout_for_import()
        result = import_territories(units, municipality)
    except ImportError_ as error:
        db.session.rollback()
        form = BoundaryUploadForm(formdata=None, municipality=municipality)
        form.boundary_file.errors = [error.message]
        return _render_index(form, 422)
    audit.record(
        current_user,
        "territories.import",
        target=municipality,
        after={
            "file": claims.get("filename"),
            "created": result.created,
            "updated": result.updated,
            "units": [unit.name for unit in units],
        },
    )
    db.session.commit()
    uploads.discard(claims)
    flash(
        _(
            "%(municipality)s: territorial units created: %(created)s, updated: %(updated)s.",
            municipality=municipality,
            created=result.created,
            updated=result.updated,
        ),
        "success",
    )
    return redirect(url_for("admin.territories_index"))
