"""gunicorn's settings for the Docker image (`gunicorn -c config/gunicorn.py config.wsgi:application`).

No access log: Vigil writes one JSON line per request itself (core/observability.py), without the query
string, where gunicorn's would carry searches for people's names. With several workers, Prometheus metrics
are gathered across them through PROMETHEUS_MULTIPROC_DIR (emptied by the image's start command).
"""

import os

bind = "0.0.0.0:8000"
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
accesslog = None
forwarded_allow_ips = "*"  # only the proxy reaches this port (docker-compose.yml publishes none)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
