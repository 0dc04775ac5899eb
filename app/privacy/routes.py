"""My data (download after re-entering the password) and account deletion."""

import time
from datetime import UTC, datetime

from flask import current_app, flash, redirect, render_template, session, url_for
from flask_login import current_user, login_required, logout_user

from app.accounts.services import authenticate
from app.extensions import db, limiter
from app.i18n import _
from app.privacy import bp, queries, services
from app.privacy.forms import DeleteAccountForm, ReauthenticateForm

# How long a re-entered password unlocks the downloads.
REAUTH_SECONDS = 10 * 60
REAUTH_KEY = "privacy_reauth"


def _password_limit() -> str:
    return current_app.config["RATELIMIT_SIGNIN"]


def _user_key() -> str:
    return f"privacy:{current_user.get_id()}"


def _password_ok(password: str) -> bool:
    return authenticate(current_user.email, password) is not None


def _recently_reauthenticated() -> bool:
    mark = session.get(REAUTH_KEY) or {}
    return (
        mark.get("user") == current_user.get_id()
        and time.time() - float(mark.get("at", 0)) < REAUTH_SECONDS
    )


@bp.route("/", methods=["GET", "POST"])
@login_required
@limiter.limit(_password_limit, methods=["POST"], key_func=_user_key)
def my_data():
    form = ReauthenticateForm()
    if form.validate_on_submit():
        if _password_ok(form.password.data):
            db.session.commit()  # authenticate() may have upgraded the hash
            session[REAUTH_KEY] = {"user": current_user.get_id(), "at": time.time()}
            return redirect(url_for("privacy.my_data"))
        form.password.errors.append(_("The password is wrong."))
    verified = _recently_reauthenticated()
    summary = queries.data_summary(current_user.id) if verified else []
    page = render_template("privacy/my_data.html", form=form, verified=verified, summary=summary)
    return page, 422 if form.errors else 200


def _download(body: bytes, mimetype: str, filename: str):
    response = current_app.response_class(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/download/kopa-my-data.json")
@login_required
def download_json():
    if not _recently_reauthenticated():
        flash(_("Please enter your password again to download your data."), "info")
        return redirect(url_for("privacy.my_data"))
    body = queries.as_json(queries.user_data(current_user.id), datetime.now(UTC))
    return _download(body, "application/json", "kopa-my-data.json")


@bp.route("/download/kopa-my-data-csv.zip")
@login_required
def download_csv():
    if not _recently_reauthenticated():
        flash(_("Please enter your password again to download your data."), "info")
        return redirect(url_for("privacy.my_data"))
    body = queries.as_csv_zip(queries.user_data(current_user.id))
    return _download(body, "application/zip", "kopa-my-data-csv.zip")


@bp.route("/delete", methods=["GET", "POST"])
@login_required
@limiter.limit(_password_limit, methods=["POST"], key_func=_user_key)
def delete():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if _password_ok(form.password.data):
            stems = services.delete_account(current_user._get_current_object())
            db.session.commit()
            services.remove_photo_files(current_app.config["UPLOAD_DIR"], stems)
            logout_user()
            session.clear()
            flash(_("Your account and your personal data are deleted."), "success")
            return redirect(url_for("main.index"))
        form.password.errors.append(_("The password is wrong."))
    return render_template("privacy/delete.html", form=form), 422 if form.errors else 200
