"""Register, confirm, sign in and out, reset the password, edit the profile."""

from datetime import UTC, datetime

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from app.accounts import bp
from app.accounts import services as accounts
from app.accounts.forms import (
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
    ResetRequestForm,
    SignInForm,
)
from app.accounts.models import User
from app.core.auth import public
from app.core.mail import send_templated
from app.core.security import is_safe_next
from app.extensions import db, limiter
from app.i18n import _, _l
from app.territories.queries import territory_choices

SUSPENDED_MESSAGE = _l(
    "This account is suspended. Contact the municipality if you think this is a mistake."
)


def _signin_limit() -> str:
    return current_app.config["RATELIMIT_SIGNIN"]


def _email_key() -> str:
    return "signin:" + (request.form.get("email") or "").strip().lower()


def _send_confirmation(user: User) -> None:
    link = url_for(
        "accounts.confirm",
        token=accounts.confirmation_token(user),
        lang=user.locale,
        _external=True,
    )
    send_templated(
        user.email,
        user.locale,
        "confirm_email",
        lambda: _l("Confirm your e-mail for Kopā"),
        user=user,
        link=link,
    )


@bp.route("/register", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["RATELIMIT_REGISTER"], methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        existing = accounts.find_user_by_email(form.email.data)
        if existing is None:
            user = accounts.create_user(
                form.email.data, form.password.data, form.display_name.data, locale=g.lang
            )
            db.session.commit()
            _send_confirmation(user)
        else:
            # Tell the owner rather than the visitor, so registration never reveals accounts.
            send_templated(
                existing.email,
                existing.locale,
                "already_registered",
                lambda: _l("Someone tried to register with your e-mail"),
                user=existing,
                link=url_for("accounts.reset_request", lang=existing.locale, _external=True),
            )
        return render_template("accounts/check_email.html", email=form.email.data)
    return render_template("accounts/register.html", form=form), 422 if form.errors else 200


@bp.route("/confirm/<token>")
@public
def confirm(token: str):
    user = accounts.confirm_email(token)
    if user is None:
        return render_template("accounts/confirm_failed.html"), 400
    db.session.commit()
    flash(_("Thank you, your e-mail address is confirmed."), "success")
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    return redirect(url_for("accounts.signin"))


@bp.route("/resend-confirmation", methods=["POST"])
@login_required
@limiter.limit("3 per hour")
def resend_confirmation():
    if not current_user.is_confirmed:
        _send_confirmation(current_user)
    flash(_("We have sent the confirmation link again."), "info")
    return redirect(url_for("accounts.profile"))


@bp.route("/sign-in", methods=["GET", "POST"])
@public
@limiter.limit(_signin_limit, methods=["POST"])
@limiter.limit(_signin_limit, methods=["POST"], key_func=_email_key)
def signin():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = SignInForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("The e-mail or the password is wrong."))
        elif user.is_suspended:
            form.email.errors.append(SUSPENDED_MESSAGE)
        else:
            accounts.rotate_session(user)
            db.session.commit()
            session.clear()  # a fresh session at sign-in defeats session fixation
            login_user(user, remember=form.remember.data)
            flash(_("You are signed in."), "success")
            target = request.args.get("next")
            if is_safe_next(target):
                return redirect(target)
            return redirect(url_for("main.index"))
    return render_template("accounts/signin.html", form=form), 422 if form.errors else 200


@bp.route("/sign-out", methods=["POST"])
@login_required
def signout():
    accounts.rotate_session(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("main.index"))


@bp.route("/reset", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["RATELIMIT_RESET"], methods=["POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = accounts.find_user_by_email(form.email.data)
        if user is not None:
            link = url_for(
                "accounts.reset", token=accounts.reset_token(user), lang=user.locale, _external=True
            )
            send_templated(
                user.email,
                user.locale,
                "reset_password",
                lambda: _l("Set a new Kopā password"),
                user=user,
                link=link,
            )
        return render_template("accounts/check_email.html", email=form.email.data, reset=True)
    return render_template("accounts/reset_request.html", form=form), 422 if form.errors else 200


@bp.route("/reset/<token>", methods=["GET", "POST"])
@public
def reset(token: str):
    user = accounts.user_for_reset_token(token)
    if user is None:
        return render_template("accounts/reset_failed.html"), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        accounts.set_password(user, form.password.data)
        if user.email_confirmed_at is None:
            # The link reached the mailbox, which proves the address.
            user.email_confirmed_at = datetime.now(UTC)
        db.session.commit()
        flash(_("Your password is changed. Please sign in."), "success")
        return redirect(url_for("accounts.signin"))
    return render_template("accounts/reset.html", form=form), 422 if form.errors else 200


@bp.route("/", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    form.home_territory.choices = [(0, _("— not chosen —")), *territory_choices()]
    if request.method == "GET":
        form.home_territory.data = current_user.home_territory_id or 0
    if form.validate_on_submit():
        current_user.display_name = form.display_name.data.strip()
        current_user.locale = form.locale.data
        current_user.home_territory_id = form.home_territory.data or None
        current_user.notification_frequency = form.notification_frequency.data
        db.session.commit()
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form), 422 if form.errors else 200
