"""gunicorn settings for Kopā: `gunicorn -c gunicorn.conf.py "app:create_app()"`.

Access and error logs go to stdout/stderr with shortened client addresses (IPv4 /24,
IPv6 /48): see app/privacy/logmask.py and the privacy notice.
"""

import os

from app.privacy.logmask import install_ip_masking

install_ip_masking()  # in the master; forked workers inherit it

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = 30
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(L)ss'
