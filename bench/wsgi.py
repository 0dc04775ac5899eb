"""The WSGI entry point of the benchmark: the production app plus one bench-only route.

`/bench/ping` answers "ok" without touching the database: the cost of the framework
(gunicorn, Flask, our before/after-request hooks) that every page pays. It exists only
here, never in the production app. Rate limits are off so the load generator (one IP)
measures the app rather than its 429s.
"""

import os

from app import create_app
from app.core.auth import public

app = create_app(
    os.environ.get("KOPA_ENV", "production"),
    RATELIMIT_ENABLED=False,
    # Loopback over plain HTTP: the benchmark client must get its session cookie back.
    SESSION_COOKIE_SECURE=False,
    REMEMBER_COOKIE_SECURE=False,
)


@public
def ping():
    return app.response_class("ok", mimetype="text/plain")


app.add_url_rule("/bench/ping", "bench_ping", ping)
