"""Issue 17 item 7: nginx in front of gunicorn holds slow clients and refuses oversized bodies.

The penetration test stalled `/healthz` with 12 slow unauthenticated
connections straight to gunicorn. Here the committed `deploy/nginx.conf`
(listen address, upstream and paths rewritten to loopback and a temporary
folder) runs in front of a real gunicorn serving the test settings' app.
Needs Debian's nginx (`scripts/system-deps.sh test` installs it); runs in the
SQLite pass only, as the app here has its own throwaway SQLite database.
"""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
SLOW_CLIENTS = 14
# /healthz answered (503: the throwaway database has no scheduler beat).
ALIVE = (200, 503)

pytestmark = [
    pytest.mark.skipif(NGINX is None, reason="nginx is not installed"),
    pytest.mark.skipif(
        connection.vendor == "postgresql",
        reason="gunicorn here serves a throwaway SQLite database whatever the suite's; "
        "the SQLite run covers it",
    ),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_health(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 45  # a loaded CI machine imports Django slowly
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()[-3000:]
        try:
            # An unmigrated database has no scheduler beat: 503 is an answer too.
            if get(port, "/healthz", timeout=1)[0] in ALIVE:
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"no answer on port {port}:\n{log.read_text()[-3000:]}")


def get(port: int, path: str, timeout: float) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def post(port: int, path: str, body: bytes) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("POST", path, body, {"Content-Type": "application/octet-stream"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def declared_only(port: int, path: str, length: int) -> tuple[int, bytes]:
    """Send only the headers of a POST declaring `length` bytes; the answer's status and body."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {length}\r\n"
            "Content-Type: application/octet-stream\r\n\r\n".encode()
        )
        response = http.client.HTTPResponse(sock)
        response.begin()
        return response.status, response.read()


@contextmanager
def slow_clients(port: int) -> Iterator[None]:
    """Connections that start a request and send one more header byte every half second."""
    socks = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(SLOW_CLIENTS)]
    for sock in socks:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
    stop = threading.Event()

    def dribble() -> None:
        while not stop.wait(0.5):
            for sock in socks:
                with suppress(OSError):
                    sock.sendall(b"a")

    thread = threading.Thread(target=dribble, daemon=True)
    thread.start()
    time.sleep(0.5)  # every connection has been accepted and has sent its first bytes
    try:
        yield
    finally:
        stop.set()
        thread.join()
        for sock in socks:
            sock.close()


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory) -> Iterator[int]:
    """The real app (test settings, an empty SQLite file) in one gunicorn worker of 2 threads."""
    work = tmp_path_factory.mktemp("gunicorn")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env |= {
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
        "STPROGRAM_VAR_DIR": str(work),
    }
    log = work / "gunicorn.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "stprogram.wsgi:application"),
                *("--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2"),
                *("--chdir", str(ROOT), "--log-level", "warning", "--graceful-timeout", "2"),
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for_health(port, process, log)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=20)


def templated_config(work: Path, listen: int, upstream: int) -> Path:
    """deploy/nginx.conf with loopback ports and every file under `work`."""
    text = (ROOT / "deploy/nginx.conf").read_text()
    temp_paths = "".join(
        f"    {kind}_temp_path {work / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    replacements = {
        # Root in a test container, a normal user elsewhere: the workers run as that user.
        "user nginx;\n": "user root;\n" if os.geteuid() == 0 else "",
        "pid /var/run/nginx.pid;": f"pid {work / 'nginx.pid'};",
        "access_log /dev/stdout;": f"access_log {work / 'access.log'};",
        "error_log /dev/stderr warn;": f"error_log {work / 'error.log'} warn;",
        "server web:8000;": f"server 127.0.0.1:{upstream};",
        "listen 80;": f"listen 127.0.0.1:{listen};",
        "http {\n": "http {\n" + temp_paths,
    }
    for old, new in replacements.items():
        assert text.count(old) == 1, f"deploy/nginx.conf no longer has {old!r} once"
        text = text.replace(old, new)
    path = work / "nginx.conf"
    path.write_text(text)
    return path


def nginx_command(work: Path, config: Path, *extra: str) -> list[str]:
    return [NGINX, "-p", str(work), "-c", str(config), "-e", str(work / "error.log"), *extra]


@pytest.fixture(scope="module")
def nginx(tmp_path_factory, gunicorn) -> Iterator[int]:
    work = tmp_path_factory.mktemp("nginx")
    port = free_port()
    config = templated_config(work, port, gunicorn)
    process = subprocess.Popen(nginx_command(work, config, "-g", "daemon off;"))
    try:
        wait_for_health(port, process, work / "error.log")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_committed_nginx_config_is_valid(tmp_path):
    config = templated_config(tmp_path, free_port(), free_port())
    checked = subprocess.run(
        nginx_command(tmp_path, config, "-t"), capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr


@pytest.mark.slow
def test_slow_clients_stall_gunicorn_alone_but_not_through_nginx(gunicorn, nginx):
    with slow_clients(gunicorn), pytest.raises(TimeoutError):
        get(gunicorn, "/healthz", timeout=2)  # the attack as the penetration test saw it

    with slow_clients(nginx):
        started = time.monotonic()
        status, body = get(nginx, "/healthz", timeout=3)
        assert status in ALIVE
        assert b'"status"' in body
        assert time.monotonic() - started < 1


def test_an_oversize_body_gets_413_from_nginx_before_it_is_sent(nginx):
    status, body = declared_only(nginx, "/accounts/login/", 600 * 1024 * 1024)
    assert status == 413
    assert b"nginx" in body  # nginx answered; gunicorn never saw the request
    assert post(nginx, "/", b"x" * (2 * 1024 * 1024))[0] == 413


def test_the_report_upload_may_be_larger_through_nginx(nginx):
    status, _body = post(nginx, "/blekinge/granskningar/1/rapport/", b"x" * (2 * 1024 * 1024))
    assert status != 413  # passed on to the app, which asks for a login or a CSRF token
    assert declared_only(nginx, "/blekinge/granskningar/1/rapport/", 30 * 1024 * 1024)[0] == 413


def test_gunicorn_alone_refuses_an_oversize_body_unread(gunicorn):
    status, body = declared_only(gunicorn, "/accounts/login/", 600 * 1024 * 1024)
    assert status == 413
    assert "Förfrågan är för stor" in body.decode()
