import pytest


@pytest.fixture
def limited_app(make_app, app):
    """An app with rate limiting on (CSRF off). Flask-Limiter keeps one state for every app
    in the process, so it is switched back off afterwards for the tests that follow."""
    from app.extensions import limiter

    def factory(**overrides):
        return make_app(RATELIMIT_ENABLED=True, WTF_CSRF_ENABLED=False, **overrides)

    yield factory
    limiter.init_app(app)  # RATELIMIT_ENABLED is False there: the limiter goes quiet again
    assert not limiter.enabled
