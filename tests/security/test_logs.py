"""Logs never hold a full IP address: IPv4 is cut to /24, IPv6 to /48."""

import logging

import pytest

from app.privacy.logmask import IPMaskingFilter, install_ip_masking, mask_ip_addresses
from tests.conftest import free_port


@pytest.mark.parametrize(
    ("line", "masked"),
    [
        (
            '192.168.17.42 - - [25/Nov/2026 18:10:53] "GET / HTTP/1.1" 200 -',
            '192.168.17.0 - - [25/Nov/2026 18:10:53] "GET / HTTP/1.1" 200 -',
        ),
        (
            "from 2001:db8:abcd:12:3456:789a:bcde:f012 at 18:10:53",
            "from 2001:db8:abcd::/48 at 18:10:53",
        ),
        ("peer 2001:db8::1 said hi", "peer 2001:db8::/48 said hi"),
        ("mapped ::ffff:10.20.30.40", "mapped ::ffff:10.20.30.0"),
        ("[2a02:810a:8c0:1::7]:443", "[2a02:810a:8c0::/48]:443"),
        (
            "version 1.2.3 and 999.1.1.1 are not addresses",
            "version 1.2.3 and 999.1.1.1 are not addresses",
        ),
        ("2026-11-25 18:10:53,123 INFO", "2026-11-25 18:10:53,123 INFO"),
        # Loopback names this machine, never a visitor: the dev server's banner stays usable.
        (" * Running on http://127.0.0.1:5013", " * Running on http://127.0.0.1:5013"),
        ("peer ::1 said hi", "peer ::1 said hi"),
        ("mapped ::ffff:127.0.0.1", "mapped ::ffff:127.0.0.1"),
        ("not loopback 128.0.0.1", "not loopback 128.0.0.0"),
    ],
)
def test_masking(line, masked):
    assert mask_ip_addresses(line) == masked


def test_every_log_record_is_masked(app, caplog):
    # The app installed the masking when the privacy blueprint was registered.
    install_ip_masking()
    with caplog.at_level(logging.INFO), caplog.at_level(logging.INFO, logger="flask-limiter"):
        logging.getLogger("kopa.test").info("sign-in from %s", "203.0.113.77")
        logging.getLogger("flask-limiter").info(
            "ratelimit %s (%s) exceeded at endpoint: %s", "5 per hour", "2001:db8:1:2::9", "x"
        )
        logging.getLogger("kopa.test").warning("direct 198.51.100.23 in the message")
    text = caplog.text
    assert "203.0.113.0" in text and "203.0.113.77" not in text
    assert "2001:db8:1::/48" in text and "2001:db8:1:2::9" not in text
    assert "198.51.100.0" in text and "198.51.100.23" not in text


def test_werkzeug_access_log_is_masked(csrf_app, caplog):
    """A visitor's address as werkzeug's development server logs it (REMOTE_ADDR, which a proxy
    fix would set the same way) is cut to its /24."""
    import threading

    import requests
    from werkzeug.serving import make_server

    def from_a_visitor(environ, start_response):
        environ["REMOTE_ADDR"] = "203.0.113.77"  # the access log reads it from this environ
        return csrf_app(environ, start_response)

    server = make_server("127.0.0.1", free_port(), from_a_visitor, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with caplog.at_level(logging.INFO, logger="werkzeug"):
            url = f"http://127.0.0.1:{server.port}/healthz"
            assert requests.get(url, timeout=10).status_code == 200
    finally:
        server.shutdown()
        thread.join(timeout=5)
    lines = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert any("/healthz" in line for line in lines)
    assert all("203.0.113.77" not in line for line in lines)
    assert any(line.startswith("203.0.113.0 ") for line in lines)


def test_gunicorn_access_log_atoms_are_masked():
    record = logging.LogRecord(
        "gunicorn.access",
        logging.INFO,
        __file__,
        1,
        '%(h)s "%(r)s" %(s)s',
        {"h": "203.0.113.9", "r": "GET / HTTP/1.1", "s": "200"},
        None,
    )
    assert IPMaskingFilter().filter(record)
    assert record.getMessage() == '203.0.113.0 "GET / HTTP/1.1" 200'


def test_gunicorn_config_masks_its_access_log():
    from pathlib import Path

    config = {}
    source = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"
    exec(compile(source.read_text(), str(source), "exec"), config)
    assert "%(h)s" in config["access_log_format"]
    assert config["accesslog"] == "-"
    record = logging.getLogRecordFactory()(
        "gunicorn.access", logging.INFO, __file__, 1, "%(h)s", ({"h": "192.0.2.55"},), None
    )
    assert record.getMessage() == "192.0.2.0"
