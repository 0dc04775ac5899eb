"""Configuration classes, read from the environment.

Development and testing have safe local defaults; production refuses to start
without the settings that must never fall back to a default.
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", "postgresql+psycopg://kopa:kopa@127.0.0.1:5432/kopa"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {
        "pool_pre_ping": True,
        "pool_recycle": 1800,
        # Bound every statement so one slow query cannot hold a worker forever; JIT compiling
        # costs more than it saves on these short aggregate queries (seen on survey results).
        "connect_args": {"options": "-c statement_timeout=15000 -c timezone=UTC -c jit=off"},
    }
    REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", REDIS_URL)
    RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", True)
    RATELIMIT_SIGNIN = os.environ.get("RATELIMIT_SIGNIN", "10 per minute;50 per hour")
    RATELIMIT_REGISTER = os.environ.get("RATELIMIT_REGISTER", "5 per hour")
    RATELIMIT_RESET = os.environ.get("RATELIMIT_RESET", "5 per hour")
    # Public APIs (JSON API and Open311): per client IP, and per Open311 API key for submissions.
    RATELIMIT_API = os.environ.get("RATELIMIT_API", "300 per minute;6000 per hour")
    RATELIMIT_API_KEY = os.environ.get("RATELIMIT_API_KEY", "30 per minute;1000 per day")
    RATELIMIT_IDEA_SUBMIT = os.environ.get("RATELIMIT_IDEA_SUBMIT", "10 per hour")
    # Leaders typing in a workshop's ideas need more than a resident submitting their own.
    RATELIMIT_IDEA_RECORD = os.environ.get("RATELIMIT_IDEA_RECORD", "120 per hour")
    RATELIMIT_COMMENT = os.environ.get("RATELIMIT_COMMENT", "10 per minute;60 per hour")
    RATELIMIT_SUPPORT = os.environ.get("RATELIMIT_SUPPORT", "30 per minute;300 per hour")
    RATELIMIT_SURVEY_ANSWER = os.environ.get("RATELIMIT_SURVEY_ANSWER", "10 per minute;50 per hour")

    # How long a shared ideas-map answer is kept in Redis (0: no sharing). Answers are keyed by
    # a version of the ideas data that every committed write bumps, so they are never stale;
    # this only bounds memory, and staleness after a write made while Redis was unreachable.
    IDEAS_GEOJSON_CACHE_SECONDS = _env_int("IDEAS_GEOJSON_CACHE_SECONDS", 300)
    # How long a survey's counted results are kept in Redis (0: count on every view). Keyed by
    # the survey's results version, which every new or changed answer moves on: never stale.
    # Closed surveys keep theirs 24 times longer.
    SURVEY_RESULTS_CACHE_SECONDS = _env_int("SURVEY_RESULTS_CACHE_SECONDS", 3600)
    # The staff participation dashboard shows a snapshot at most this old (0: count on every
    # view); the page says when it was counted.
    PARTICIPATION_CACHE_SECONDS = _env_int("PARTICIPATION_CACHE_SECONDS", 300)

    BABEL_DEFAULT_LOCALE = "lv"
    BABEL_DEFAULT_TIMEZONE = "Europe/Riga"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    LANGUAGES = ("lv", "en")

    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")  # smtp | log
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "127.0.0.1")
    MAIL_PORT = _env_int("MAIL_PORT", 25)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", False)
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Kopā <noreply@kopa.local>")

    # "/tiles/..." is the app's own caching tile proxy, so browsers never talk to a third party.
    TILE_URL = os.environ.get("TILE_URL", "/tiles/{z}/{x}/{y}.png")
    TILE_UPSTREAM_URL = os.environ.get(
        "TILE_UPSTREAM_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    )
    TILE_ATTRIBUTION = os.environ.get(
        "TILE_ATTRIBUTION",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
    )
    TILE_CACHE_DIR = os.environ.get("TILE_CACHE_DIR", str(BASE_DIR / "instance" / "tiles"))

    UPLOAD_DIR = os.environ.get("UPLOAD_DIR", str(BASE_DIR / "instance" / "uploads"))
    MAX_CONTENT_LENGTH = _env_int("MAX_CONTENT_LENGTH", 32 * 1024 * 1024)
    VENDOR_DIR = os.environ.get("VENDOR_DIR", str(BASE_DIR / "node_modules"))

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None
    HSTS = False
    EMAIL_TOKEN_MAX_AGE = 3 * 24 * 3600
    RESET_TOKEN_MAX_AGE = 2 * 3600
    PREFERRED_URL_SCHEME = "http"
    SERVER_BASE_URL = os.environ.get("SERVER_BASE_URL", "http://127.0.0.1:5000")


class DevelopmentConfig(Config):
    DEBUG = False
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "log")


class TestingConfig(Config):
    TESTING = True
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "TEST_DATABASE_URL", "postgresql+psycopg://kopa:kopa@127.0.0.1:5432/kopa_test"
    )
    SECRET_KEY = "testing-secret"  # noqa: S105 - tests only
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_ENABLED = False
    IDEAS_GEOJSON_CACHE_SECONDS = 0  # tests/api/test_geojson_cache.py turns it on
    PARTICIPATION_CACHE_SECONDS = 0  # tests/staff/test_participation.py turns it on
    TILE_UPSTREAM_URL = ""
    MAIL_BACKEND = "smtp"


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    HSTS = True
    PREFERRED_URL_SCHEME = "https"

    REQUIRED = ("SECRET_KEY", "DATABASE_URL", "SERVER_BASE_URL", "MAIL_SERVER")

    @classmethod
    def check(cls) -> None:
        missing = [name for name in cls.REQUIRED if not os.environ.get(name)]
        if missing:
            raise RuntimeError(
                "Kopā refuses to start in production without: "
                + ", ".join(missing)
                + ". Set them in the environment (see README.md, Configuration)."
            )
        # The environment at start-up is authoritative, even if it changed after import.
        cls.SECRET_KEY = os.environ["SECRET_KEY"]
        cls.SQLALCHEMY_DATABASE_URI = os.environ["DATABASE_URL"]


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
