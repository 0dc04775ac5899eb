"""Locale selection and the translation helpers every module imports."""

from flask import current_app, g, request
from flask_babel import gettext, lazy_gettext, ngettext

_ = gettext
_l = lazy_gettext
__all__ = ["_", "_l", "localized", "ngettext", "select_locale"]

LANG_COOKIE = "kopa_lang"


def supported() -> tuple[str, ...]:
    return current_app.config["LANGUAGES"]


def select_locale() -> str:
    """The URL's language wins; otherwise the cookie, then Accept-Language, then Latvian."""
    lang = getattr(g, "lang", None)
    if lang in supported():
        return lang
    return preferred_language()


def preferred_language() -> str:
    cookie = request.cookies.get(LANG_COOKIE)
    if cookie in supported():
        return cookie
    best = request.accept_languages.best_match(supported())
    return best or current_app.config["BABEL_DEFAULT_LOCALE"]


def api_language() -> str:
    """The language of the APIs' messages: the `lang` query parameter, then Accept-Language,
    then Latvian. No cookie: API clients are programs as often as browsers."""
    lang = request.args.get("lang")
    if lang in supported():
        return lang
    best = request.accept_languages.best_match(supported())
    return best or current_app.config["BABEL_DEFAULT_LOCALE"]


def localized(lv: str | None, en: str | None) -> str:
    """Pick the English text for English readers when there is one; Latvian otherwise."""
    from flask_babel import get_locale

    if str(get_locale()) == "en" and en:
        return en
    return lv or en or ""
