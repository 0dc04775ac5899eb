"""gunicorn settings for Kopā: `gunicorn -c gunicorn.conf.py "app:create_app()"`.

Access and error logs go to stdout/stderr with shortened client addresses (IPv4 /24,
IPv6 /48): see app/privacy/logmask.py and the privacy notice.
"""

import contextlib
import ctypes
import os

from app.privacy.logmask import install_ip_masking

install_ip_masking()  # in the master; forked workers inherit it

M_ARENA_MAX = -8  # glibc's mallopt parameter (malloc.h)


def cap_malloc_arenas(count: int = 2) -> None:
    """glibc gives busy threads malloc arenas of their own; with several threads a worker's
    memory fragments and only grows (about 25 MB more per worker in the benchmark). Two
    arenas keep it down at no measurable cost. Set in the master, inherited by workers;
    MALLOC_ARENA_MAX in the environment still wins."""
    if os.environ.get("MALLOC_ARENA_MAX"):
        return
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to cap
        ctypes.CDLL("libc.so.6").mallopt(M_ARENA_MAX, count)


cap_malloc_arenas()

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = 30
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(L)ss'
