"""The admin page that issues and revokes Open311 API keys (role admin)."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from app.accounts.models import Role
from app.core.auth import role_required
from app.extensions import db
from app.i18n import _
from app.open311 import keys_bp, queries, services
from app.open311.forms import ApiKeyForm, RevokeForm
from app.open311.models import ApiKey


def _page(form: ApiKeyForm, token: str | None = None, status: int = 200):
    body = render_template(
        "open311/keys.html",
        form=form,
        keys=queries.api_keys(),
        revoke_form=RevokeForm(),
        token=token,
    )
    return body, status


@keys_bp.route("/", methods=["GET"])
@role_required(Role.ADMIN)
def index():
    return _page(ApiKeyForm())


@keys_bp.route("/", methods=["POST"])
@role_required(Role.ADMIN)
def create():
    form = ApiKeyForm()
    if not form.validate_on_submit():
        return _page(form, status=422)
    key, token = services.issue_key(form.name.data, current_user)
    db.session.commit()
    flash(
        _("The API key for %(name)s is ready. Copy it now: it is shown only once.", name=key.name),
        "success",
    )
    # The token is rendered once, in this response, and never stored.
    return _page(ApiKeyForm(formdata=None), token=token, status=201)


@keys_bp.route("/<int:key_id>/revoke", methods=["POST"])
@role_required(Role.ADMIN)
def revoke(key_id: int):
    key = db.session.get(ApiKey, key_id) or abort(404)
    if not RevokeForm().validate_on_submit():
        abort(400)
    services.revoke_key(key, current_user)
    db.session.commit()
    flash(_("The API key for %(name)s is revoked.", name=key.name), "success")
    return redirect(url_for("open311_keys.index"))
