"""PostgreSQL restarts in the middle of a run of registrations: every registration that was
acknowledged is stored exactly once, the others got a 503, and the app recovers by itself."""

import fcntl
import logging
import os
import re
import shutil
import subprocess
import threading
import time
from contextlib import contextmanager

import pytest
import requests
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from app.accounts.models import User
from tests.conftest import POSTGRES_RESTART_LOCK

ACKNOWLEDGED = "Pārbaudiet savu e-pastu"  # the "check your e-mail" page
PG_CTLCLUSTER = ("pg_ctlcluster", "--skip-systemctl-redirect")
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def _cluster_for_port(port: int) -> tuple[str, str]:
    if os.geteuid() != 0:
        pytest.skip("restarting PostgreSQL needs root (pg_ctlcluster)")
    if shutil.which("pg_lsclusters") is None or shutil.which("pg_ctlcluster") is None:
        pytest.skip("no pg_ctlcluster here: PostgreSQL is not a Debian cluster on this machine")
    listing = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=True)
    for line in listing.stdout.splitlines():
        version, name, cluster_port, status, *_ = line.split()
        if int(cluster_port) == port and status == "online":
            return version, name
    pytest.skip(f"no online PostgreSQL cluster on port {port}")


class Registrations(threading.Thread):
    """One resident after another registering through the real server, until stopped."""

    def __init__(self, base_url: str, worker: int, stop: threading.Event):
        super().__init__(daemon=True)
        self.base_url, self.worker, self.stop = base_url, worker, stop
        self.acknowledged: list[tuple[str, float]] = []
        self.statuses: list[int] = []

    def run(self) -> None:
        http = requests.Session()
        form = http.get(f"{self.base_url}/lv/account/register", timeout=10)
        token = TOKEN.search(form.text).group(1)
        number = 0
        while not self.stop.is_set():
            number += 1
            email = f"restart-{self.worker}-{number}@example.lv"
            response = http.post(
                f"{self.base_url}/lv/account/register",
                data={
                    "csrf_token": token,
                    "email": email,
                    "display_name": f"Iedzīvotājs {self.worker}-{number}",
                    "password": "garš-un-drošs-1",
                    "password_confirm": "garš-un-drošs-1",
                    "accept_privacy": "y",
                },
                timeout=30,
            )
            self.statuses.append(response.status_code)
            if response.status_code == 200 and ACKNOWLEDGED in response.text:
                self.acknowledged.append((email, time.monotonic()))
            elif response.status_code == 503:
                time.sleep(0.2)  # as a person would, before trying again


def caplog_text(record: logging.LogRecord) -> str:
    return (
        record.getMessage()
        + "\n"
        + (logging.Formatter().formatException(record.exc_info) if record.exc_info else "")
    )


def _wait_until_healthy(base_url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base_url}/healthz", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise AssertionError("the app did not recover after PostgreSQL came back")


@contextmanager
def postgres_to_ourselves(shared_handle, seconds: float = 90):
    """Wait until no test anywhere is using PostgreSQL (see between_postgres_restarts in
    tests/conftest.py), then keep the others waiting while the server restarts."""
    fcntl.flock(shared_handle, fcntl.LOCK_UN)
    with POSTGRES_RESTART_LOCK.open("a") as exclusive:
        deadline = time.monotonic() + seconds
        while True:
            try:
                fcntl.flock(exclusive, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    fcntl.flock(shared_handle, fcntl.LOCK_SH)
                    pytest.skip(f"other tests kept PostgreSQL busy for {seconds:.0f} s")
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(exclusive, fcntl.LOCK_UN)
    fcntl.flock(shared_handle, fcntl.LOCK_SH)


@pytest.mark.slow
@pytest.mark.serial  # make test runs it alone, so no other test is mid-query during the restart
def test_postgres_restart_during_registrations(
    live_server, mailbox, db, database_url, caplog, between_postgres_restarts
):
    version, cluster = _cluster_for_port(make_url(database_url).port or 5432)
    started_before = db.session.execute(text("SELECT pg_postmaster_start_time()")).scalar()
    db.session.remove()

    stop = threading.Event()
    workers = [Registrations(live_server.url, worker, stop) for worker in range(2)]
    for worker in workers:
        worker.start()
    deadline = time.monotonic() + 20
    while not all(worker.acknowledged for worker in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    with postgres_to_ourselves(between_postgres_restarts):
        restarted_at = time.monotonic()
        subprocess.run(
            [*PG_CTLCLUSTER, version, cluster, "restart", "--mode", "fast"],
            check=True,
            capture_output=True,
            timeout=60,
        )
        _wait_until_healthy(live_server.url, 30)
    back_at = time.monotonic()
    time.sleep(1.0)
    stop.set()
    for worker in workers:
        worker.join(timeout=60)
        assert not worker.is_alive()

    statuses = [status for worker in workers for status in worker.statuses]
    acknowledged = [entry for worker in workers for entry in worker.acknowledged]
    # Refused during the outage with the localized 503, never a 500.
    escaped = [r for r in caplog.records if r.name == "werkzeug" and r.levelno >= logging.ERROR]
    assert not escaped, [caplog_text(r) for r in escaped]
    assert set(statuses) <= {200, 503}, statuses
    assert any(at < restarted_at for _, at in acknowledged)
    assert any(at > back_at for _, at in acknowledged)

    db.session.remove()
    assert db.session.execute(text("SELECT pg_postmaster_start_time()")).scalar() > started_before
    emails = [email for email, _ in acknowledged]
    stored = dict(
        db.session.execute(
            select(User.email, func.count()).where(User.email.in_(emails)).group_by(User.email)
        ).all()
    )
    assert {email: stored.get(email, 0) for email in emails} == dict.fromkeys(emails, 1)
    # And the site serves pages again without anyone restarting it.
    assert requests.get(f"{live_server.url}/lv/", timeout=10).status_code == 200
