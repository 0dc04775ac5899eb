"""One-click unsubscribe, without signing in (RFC 8058 as well as a page with a button)."""

from flask import render_template, request

from app.accounts.models import NotificationFrequency, User
from app.core.auth import public
from app.extensions import csrf, db, limiter
from app.notifications import bp
from app.notifications.tokens import read_unsubscribe_token


def _user_for(token: str) -> User | None:
    data = read_unsubscribe_token(token)
    if data is None:
        return None
    user = db.session.get(User, data[0])
    if user is None or user.email.lower() != data[1]:
        return None
    return user


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@public
@csrf.exempt  # the signed token is the proof; mail clients POST without a form (RFC 8058)
@limiter.limit("30 per minute")
def unsubscribe(token: str):
    user = _user_for(token)
    if user is None:
        return render_template("notifications/unsubscribe_invalid.html"), 400
    if request.method == "POST":
        user.notification_frequency = NotificationFrequency.NEVER
        db.session.commit()
        return render_template("notifications/unsubscribed.html", user=user)
    return render_template("notifications/unsubscribe.html", user=user, token=token)
