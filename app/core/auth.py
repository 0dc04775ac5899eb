"""Deny by default: every view needs a signed-in user unless it is declared public."""

from collections.abc import Callable
from functools import wraps

from flask import abort, current_app, request
from flask_login import current_user


def public(view: Callable) -> Callable:
    """Mark a view as open to anonymous visitors."""
    view._kopa_public = True
    return view


def role_required(role) -> Callable:
    """Allow only users whose role ranks at least `role`; others get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if not current_user.has_role(role):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def enforce_sign_in():
    """before_request hook: refuse anonymous access to non-public views."""
    if request.endpoint is None:
        return None
    if request.endpoint == "static" or request.endpoint.startswith("vendor"):
        return None
    view = current_app.view_functions.get(request.endpoint)
    if view is None or getattr(view, "_kopa_public", False):
        return None
    if not current_user.is_authenticated:
        if request.path.startswith(("/api/", "/open311/")):
            abort(401)  # machines get a JSON 401, not a redirect to a sign-in page
        return current_app.login_manager.unauthorized()
    return None
