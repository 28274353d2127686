"""``seonggwa run`` (development server) and ``seonggwa serve`` (production, gunicorn).

``run``: the embedded default — SQLite under var/, the Seoul data loaded, Django's
development server on http://127.0.0.1:8000, demo accounts when debug is on.

``serve``: migrate (unless ``--no-migrate``), optionally load the Seoul data, collect the
static files, disable demo accounts, then serve ``seonggwa.wsgi:application`` with
gunicorn. Debug stays off unless ``SEONGGWA_DEBUG`` says otherwise. Every setting comes
from an option or the environment (docs/deployment.md):

=========================  =============================================  ==============
option                     environment                                    default
=========================  =============================================  ==============
``--host`` / ``--port``    ``SEONGGWA_BIND`` (``host:port``, or            127.0.0.1:8000
                           ``SEONGGWA_HOST`` and ``SEONGGWA_PORT``)
``--workers``              ``SEONGGWA_WORKERS``, else ``WEB_CONCURRENCY``  2 × CPUs + 1
``--threads``              ``SEONGGWA_THREADS``                           1
``--timeout``              ``SEONGGWA_TIMEOUT`` (seconds per request)     120
=========================  =============================================  ==============

Both check that the address can be bound before anything says "serving on": a port in
use is reported as one line and a non-zero exit.
"""

from __future__ import annotations

import errno
import os
import socket
import sys
from dataclasses import dataclass

from gunicorn.app.base import BaseApplication


class ServeError(Exception):
    """A problem the operator can fix (port taken, bad setting): one line, exit non-zero."""


# --------------------------------------------------------------------------- address


def split_bind(bind: str) -> tuple[str, int]:
    """``'127.0.0.1:8000'`` / ``'[::1]:8000'`` / ``':8000'`` → (host, port)."""
    host, sep, port = bind.rpartition(":")
    if not sep or not port.isdigit():
        raise ServeError(f"bind address {bind!r} must be host:port, e.g. 127.0.0.1:8000")
    return host.strip("[]") or "0.0.0.0", int(port)


def url_of(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    return f"http://[{shown}]:{port}/" if ":" in shown else f"http://{shown}:{port}/"


def check_port(host: str, port: int, target: str = "run") -> None:
    """Raise :class:`ServeError` unless a server could listen on ``host:port`` now."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise ServeError(f"cannot serve on {host}:{port}: unknown address ({exc.strerror})") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        # As the servers do: a port held only by connections closing (TIME_WAIT) is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ServeError(
                    f"port {port} on {host} is already in use (is another server running?); "
                    f"stop it or choose another port: --port {port + 1} "
                    f"(make {target} PORT={port + 1})") from None
            if exc.errno == errno.EACCES:
                raise ServeError(f"no permission to listen on port {port} (ports below 1024 "
                                 "need privileges; use a port such as 8000 behind a proxy)") from None
            raise ServeError(f"cannot serve on {host}:{port}: {exc.strerror}") from None


# --------------------------------------------------------------------------- Django


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seonggwa.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        raise ServeError(str(exc)) from None


def _disable_demo_users() -> None:
    from seonggwa.accounts.demo import disable_demo_users

    disable_demo_users()  # logs how many it disabled


def run(host: str = "127.0.0.1", port: int = 8000, load: bool = True) -> None:
    """Django's development server (auto-reload off), after migrating and loading."""
    check_port(host, port)
    _setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    if load:
        call_command("load_seoul")
    if settings.DEBUG:
        call_command("demo_users")
        call_command("load_civic_demo")  # the civic-platform example's people and scores
    else:
        call_command("collectstatic", interactive=False, verbosity=0)
        _disable_demo_users()
    check_port(host, port)  # again: loading took a while
    print(f"seonggwa: serving on {url_of(host, port)}", flush=True)
    call_command("runserver", f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
                 use_reloader=False)


# --------------------------------------------------------------------------- gunicorn


@dataclass(frozen=True)
class ServeConfig:
    host: str
    port: int
    workers: int
    threads: int
    timeout: int
    access_log: str | None = None

    @property
    def bind(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    def gunicorn_options(self) -> dict[str, object]:
        options: dict[str, object] = {
            "bind": [self.bind],
            "workers": self.workers,
            "threads": self.threads,
            "worker_class": "gthread" if self.threads > 1 else "sync",
            "timeout": self.timeout,
            "graceful_timeout": min(self.timeout, 30),
            "proc_name": "seonggwa",
            "errorlog": "-",
            "forwarded_allow_ips": os.environ.get("SEONGGWA_FORWARDED_ALLOW_IPS", "127.0.0.1,::1"),
        }
        if self.access_log:
            options["accesslog"] = self.access_log
        return options


def _env_int(names: tuple[str, ...], default: int, minimum: int = 1) -> int:
    for name in names:
        value = os.environ.get(name, "").strip()
        if value:
            if not value.isdigit() or int(value) < minimum:
                raise ServeError(f"{name} must be a whole number ≥ {minimum}, not {value!r}")
            return int(value)
    return default


def serve_config(host: str | None = None, port: int | None = None, workers: int | None = None,
                 threads: int | None = None, timeout: int | None = None) -> ServeConfig:
    """Options first, then the environment, then the defaults."""
    if host is None and port is None and os.environ.get("SEONGGWA_BIND", "").strip():
        host, port = split_bind(os.environ["SEONGGWA_BIND"].strip())
    if host is None:
        host = os.environ.get("SEONGGWA_HOST", "").strip() or "127.0.0.1"
    if port is None:
        port = _env_int(("SEONGGWA_PORT",), 8000)
    return ServeConfig(
        host=host,
        port=port,
        workers=workers or _env_int(("SEONGGWA_WORKERS", "WEB_CONCURRENCY"),
                                    2 * (os.cpu_count() or 1) + 1),
        threads=threads or _env_int(("SEONGGWA_THREADS",), 1),
        timeout=timeout or _env_int(("SEONGGWA_TIMEOUT",), 120),
        access_log=os.environ.get("SEONGGWA_ACCESS_LOG", "").strip() or None,
    )


def serve(config: ServeConfig, *, migrate: bool = True, load: bool = False) -> None:
    """Prepare the store and the static files, then run gunicorn in this process."""
    check_port(config.host, config.port, "serve")
    _setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    if settings.DEBUG:
        print("seonggwa: warning: SEONGGWA_DEBUG is on; never serve the public like this",
              file=sys.stderr)
    if migrate:
        call_command("migrate", interactive=False, verbosity=0)
    if load:
        call_command("load_seoul")
    call_command("collectstatic", interactive=False, verbosity=0)
    _disable_demo_users()
    connections.close_all()  # never share a connection with the forked workers
    check_port(config.host, config.port, "serve")
    print(f"seonggwa: serving on {url_of(config.host, config.port)} with gunicorn "
          f"({config.workers} workers × {config.threads} threads, timeout {config.timeout}s)",
          flush=True)
    GunicornApplication(config.gunicorn_options()).run()


class GunicornApplication(BaseApplication):
    """gunicorn configured from a dict, serving ``seonggwa.wsgi.application``."""

    def __init__(self, options: dict[str, object]):
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from seonggwa.wsgi import application

        return application
