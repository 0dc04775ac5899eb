"""Kopā: map-based citizen participation. create_app() builds the Flask application."""

import logging
import os

from flask import Flask, abort, g, request, url_for
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from config import CONFIGS, ProductionConfig


def create_app(config_name: str | None = None, **overrides) -> Flask:
    config_name = config_name or os.environ.get("KOPA_ENV", "development")
    config_class = CONFIGS[config_name]
    if config_class is ProductionConfig:
        ProductionConfig.check()
    app = Flask(__name__, instance_relative_config=False)
    app.config.from_object(config_class)
    app.config.update(overrides)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )

    _init_extensions(app)
    _register_blueprints(app)
    _register_language_routing(app)
    _register_request_hooks(app)
    _register_template_helpers(app)
    return app


def _init_extensions(app: Flask) -> None:
    from app.extensions import babel, csrf, db, limiter, login_manager, migrate
    from app.i18n import select_locale

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "..", "migrations"))
    babel.init_app(app, locale_selector=select_locale, timezone_selector=lambda: "Europe/Riga")
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.signin"
    login_manager.login_message_category = "info"

    from app.i18n import _l

    login_manager.login_message = _l("Please sign in to continue.")

    from app.accounts.models import User

    @login_manager.user_loader
    def load_user(user_id: str):
        ident, _, token = user_id.partition(":")
        if not ident.isdigit() or not token:
            return None
        try:
            user = db.session.get(User, int(ident))
        except SQLAlchemyError:
            db.session.rollback()
            return None
        if user is None or user.session_token != token or user.is_suspended:
            return None
        return user


def _register_blueprints(app: Flask) -> None:
    from app import (
        accounts,
        admin,
        api,
        demo,
        feedback,
        ideas,
        main,
        models,  # noqa: F401 - every table known to SQLAlchemy and Alembic
        moderation,
        notifications,
        open311,
        opendata,
        privacy,
        staff,
        surveys,
        territories,
    )

    # Feature packages, each with `bp`, registered in this order.
    features = (
        main,
        accounts,
        territories,
        api,
        demo,
        ideas,
        surveys,
        staff,
        feedback,
        moderation,
        notifications,
        admin,
        opendata,
        open311,
        privacy,
    )
    for feature in features:
        app.register_blueprint(feature.bp)


def _register_language_routing(app: Flask) -> None:
    """Every page lives under /lv/… or /en/…; url_for fills the current language in."""

    @app.url_value_preprocessor
    def pull_lang(endpoint, values):
        if values and "lang" in values:
            lang = values.pop("lang")
            if lang not in app.config["LANGUAGES"]:
                abort(404)
            g.lang = lang

    @app.url_defaults
    def add_lang(endpoint, values):
        if "lang" in values or not app.url_map.is_endpoint_expecting(endpoint, "lang"):
            return
        values["lang"] = g.get("lang") or app.config["BABEL_DEFAULT_LOCALE"]


# Messages of these APIs follow ?lang= or Accept-Language (app.i18n.api_language).
API_PREFIXES = ("/api/", "/open311/")


def _register_request_hooks(app: Flask) -> None:
    from app.core.auth import enforce_sign_in
    from app.core.security import set_security_headers
    from app.i18n import LANG_COOKIE, api_language, preferred_language

    @app.before_request
    def choose_language():
        if g.get("lang"):
            g.lang_from_url = True
            return
        g.lang_from_url = False
        if request.path.startswith(API_PREFIXES):
            g.lang = api_language()
            return
        # Unmatched URLs (404, 405) still speak the language of their /lv/ or /en/ prefix.
        prefix = request.path.strip("/").split("/", 1)[0]
        g.lang = prefix if prefix in app.config["LANGUAGES"] else preferred_language()

    app.before_request(enforce_sign_in)

    @app.after_request
    def remember_language(response):
        if g.get("lang_from_url") and request.cookies.get(LANG_COOKIE) != g.lang:
            response.set_cookie(
                LANG_COOKIE,
                g.lang,
                max_age=365 * 24 * 3600,
                samesite="Lax",
                httponly=True,
                secure=app.config["SESSION_COOKIE_SECURE"],
            )
        return response

    app.after_request(set_security_headers)


def _register_template_helpers(app: Flask) -> None:
    from app.core.navigation import footer_navigation, main_navigation, staff_navigation
    from app.core.security import csp_nonce
    from app.i18n import localized

    def switch_language_url(code: str) -> str:
        if request.endpoint and app.url_map.is_endpoint_expecting(request.endpoint, "lang"):
            args = {**(request.view_args or {}), **request.args.to_dict(), "lang": code}
            return url_for(request.endpoint, **args)
        return url_for("main.index", lang=code)

    app.jinja_env.globals.update(
        csp_nonce=csp_nonce,
        switch_language_url=switch_language_url,
        localized=localized,
        current_user=current_user,
        main_navigation=main_navigation,
        footer_navigation=footer_navigation,
        staff_navigation=staff_navigation,
        has_endpoint=lambda name: name in app.view_functions,
    )
    app.jinja_env.add_extension("jinja2.ext.i18n")
