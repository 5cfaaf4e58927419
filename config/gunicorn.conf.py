"""The production server's configuration (gunicorn), also what `make run` serves with.

`gunicorn -c config/gunicorn.conf.py` serves `config.wsgi` on HOST:PORT with WEB_CONCURRENCY worker
processes (default 2, the machine's cores are the usual figure) of a few threads each. A worker that
dies or hangs past `timeout` is replaced by the gunicorn master; the master itself is restarted by
the supervisor (`config/supervisord.conf`). On SIGTERM workers finish their requests within
`graceful_timeout`, inside the supervisor's 8 seconds.
"""

import os
import shutil

host = os.environ.get("HOST", "127.0.0.1")
port = os.environ.get("PORT", "8000")
bind = f"{host}:{port}"
wsgi_app = "config.wsgi:application"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = 4
# A PDF form or a signed result takes a few seconds; a minute means the worker is stuck.
timeout = 60
graceful_timeout = 5
keepalive = 5
# Recycle workers now and then so a slow leak never grows without bound. The application is loaded
# once, in the master, before the workers fork (no database or Redis connection is opened on import;
# a test holds it): a recycled or crashed worker is a fork of it, ready in milliseconds, where loading
# CCHC again took 3.5 s of CPU, and at 2,000 requests a worker a loaded server recycled one every
# few seconds. A code change then needs a restart of the master, not a HUP.
preload_app = True
max_requests = 20000
max_requests_jitter = 2000
# Requests are logged by the application (one line each, JSON in production, with its request id).
accesslog = None
errorlog = "-"
# Only the proxy in front (nginx on the same machine, or the one named here) may set X-Forwarded-*.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
control_socket_disable = True  # no shared socket under ~/.gunicorn: several servers run per machine

# With PROMETHEUS_MULTIPROC_DIR set (supervisord sets it for the web program), /metrics sums the
# request figures of every worker process: the folder starts empty, and a dead worker's files are
# marked so its gauges drop out.
metrics_folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
if metrics_folder:
    # Emptied here, when the master reads this file: the preloaded application creates its metrics'
    # files in the folder as it loads, before gunicorn's first hook (`on_starting`) runs.
    shutil.rmtree(metrics_folder, ignore_errors=True)
    os.makedirs(metrics_folder, exist_ok=True)


def child_exit(server, worker):
    if metrics_folder:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
