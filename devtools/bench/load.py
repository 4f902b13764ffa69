"""Load benchmark: locust's simulated users against gunicorn on loopback, at national scale.

This process never opens its own database. A child (``manage.py bench_load
--prepare``, see `devtools.bench.load_seed`) migrates and seeds a throwaway
database with the production settings; gunicorn serves that database; locust
(`devtools/load/locustfile.py`) drives it headless and writes its figures to a
file; meanwhile a thread samples the resident memory of both from /proc.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings

LOCUSTFILE = Path(__file__).resolve().parent.parent / "load" / "locustfile.py"
READY_SECONDS = 60
KEEP_ALIVE_SECONDS = 5
# Logins hash a password on purpose slowly (~1 s of CPU each); measuring starts after the last.
LOGIN_ALLOWANCE_SECONDS = 120


class LoadError(RuntimeError):
    """A step of the benchmark failed; the message says which and shows its output."""


@dataclass(frozen=True)
class LoadOptions:
    """What to seed, how to serve it and how hard to press."""

    trainees: int
    events: int
    users: int
    duration: int
    spawn_rate: float
    workers: int
    threads: int
    database_url: str | None
    redis_url: str | None
    reuse: bool


def bench_load(options: LoadOptions) -> dict[str, Any]:
    """Prepare the database, serve it with gunicorn, run locust; return every figure."""
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        work = Path(tmp)
        url = options.database_url or f"sqlite:///{work / 'db.sqlite3'}"
        env = child_env(url, options.redis_url)
        create_postgres_database(url)
        manifest = _prepare(env, options, work)
        with gunicorn(env, options.workers, options.threads, work) as (base, server):
            figures = _locust(options, base, server, work)
        # Worker timeouts and tracebacks land here; a clean run logs nothing at WARNING.
        figures["server_log"] = (work / "gunicorn.log").read_text().splitlines()[-20:]
    return manifest | figures


def child_env(database_url: str, redis_url: str | None) -> dict[str, str]:
    """The production settings (DEBUG off, manifest static files) on the throwaway database."""
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DJANGO_SECRET_KEY"}}
    env |= {
        "DJANGO_SETTINGS_MODULE": "stprogram.settings",
        "DATABASE_URL": database_url,
        # Secret key and collected static files are kept here between runs.
        "STPROGRAM_VAR_DIR": str(Path(settings.VAR_DIR) / "bench-load"),
        "DJANGO_DEBUG": "false",
        "DJANGO_HTTPS": "false",
        # `bench_load --prepare` runs in it, and that is a development tool.
        "STPROGRAM_DEV_TOOLS": "true",
        # The study directors have no authenticator; staff MFA is tested elsewhere.
        "STPROGRAM_REQUIRE_MFA": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "STPROGRAM_LOG_LEVEL": "WARNING",
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def create_postgres_database(url: str) -> None:
    """Create the PostgreSQL database named by `url` if it does not exist yet."""
    if not url.startswith(("postgres://", "postgresql://")):
        return
    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _prepare(env: dict[str, str], options: LoadOptions, work: Path) -> dict[str, Any]:
    """Run the seeding child; return its manifest (personas, region, seed time)."""
    manifest = work / "manifest.json"
    command = [
        *_manage(),
        "bench_load",
        "--prepare",
        str(manifest),
        f"--trainees={options.trainees}",
        f"--events={options.events}",
    ]
    if options.reuse:
        command.append("--reuse")
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise LoadError(f"Förberedelsen misslyckades:\n{done.stderr[-3000:]}")
    return json.loads(manifest.read_text())


def _manage() -> list[str]:
    return [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(
    env: dict[str, str], workers: int, threads: int, work: Path
) -> Iterator[tuple[str, subprocess.Popen]]:
    """Gunicorn on a free loopback port, answering before this yields, stopped afterwards."""
    base = f"http://127.0.0.1:{free_port()}"
    log = work / "gunicorn.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "stprogram.wsgi:application"),
                *("--bind", base.removeprefix("http://")),
                *("--workers", str(workers), "--threads", str(threads)),
                *("--chdir", str(settings.BASE_DIR), "--log-level", "warning"),
                # Longer than a user's pause: a browser resends a request on a connection
                # the server has just closed, locust's client reports it as an error.
                *("--keep-alive", str(KEEP_ALIVE_SECONDS)),
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_ready(base, server, log)
        yield base, server
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_until_ready(base: str, server: subprocess.Popen, log: Path) -> None:
    """Poll the health check until it answers (200, or 503: no scheduler); fail if gunicorn dies."""
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise LoadError(f"gunicorn avslutades:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except urllib.error.HTTPError as error:
            if error.code == 503:
                return  # answering; no scheduler beats beside the load test, which is fine
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise LoadError(f"gunicorn svarade inte inom {READY_SECONDS} s:\n{log.read_text()[-3000:]}")


def _locust(
    options: LoadOptions, base: str, server: subprocess.Popen, work: Path
) -> dict[str, Any]:
    """Run locust headless while sampling memory; return its figures and the peaks."""
    results = work / "locust.json"
    env = os.environ | {
        "LOAD_MANIFEST": str(work / "manifest.json"),
        "LOAD_DURATION": str(options.duration),
        "LOAD_RESULTS": str(results),
    }
    limit = options.duration + LOGIN_ALLOWANCE_SECONDS + 2 * options.users
    log = work / "locust.log"
    load_before = os.getloadavg()[0]
    with log.open("w") as out, ProcessSampler() as memory:
        memory.watch("gunicorn", server.pid)
        locust = subprocess.Popen(
            [
                *(sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless"),
                *("--users", str(options.users), "--spawn-rate", str(options.spawn_rate)),
                *("--run-time", f"{limit}s", "--host", base, "--only-summary"),
                *("--loglevel", "WARNING", "--exit-code-on-error", "0"),
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        memory.watch("locust", locust.pid)
        locust.wait()
    if locust.returncode or not results.exists():
        raise LoadError(f"locust misslyckades:\n{log.read_text()[-3000:]}")
    # Other work on the machine skews the figures: the load average says how much there was.
    load = {"before": load_before, "after": os.getloadavg()[0], "cores": os.cpu_count()}
    figures = json.loads(results.read_text())
    window = figures.get("window")
    cpu = memory.cpu_seconds("gunicorn", *window) if window else None
    return figures | {"peak_rss_mb": memory.peaks_mb(), "load": load, "server_cpu_seconds": cpu}


class ProcessSampler:
    """Peak resident memory and CPU time of process trees (a process and its children).

    Read from /proc: RSS summed over the tree (pages shared after fork count once per
    process), CPU time as (wall time, seconds) samples to read any window from.
    """

    INTERVAL = 0.25

    def __init__(self) -> None:
        self._roots: dict[str, int] = {}
        self._peaks: dict[str, int] = {}
        self._cpu: dict[str, list[tuple[float, float]]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> ProcessSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def watch(self, name: str, pid: int) -> None:
        """Sample `pid` and its descendants under `name` from now on."""
        self._roots[name] = pid
        self.sample()

    def peaks_mb(self) -> dict[str, float]:
        return {name: round(kb / 1024, 1) for name, kb in self._peaks.items()}

    def cpu_seconds(self, name: str, start: float, end: float) -> float:
        """CPU time the tree spent between two wall-clock times (the nearest samples)."""
        samples = self._cpu[name]
        first = min(samples, key=lambda s: abs(s[0] - start))
        last = min(samples, key=lambda s: abs(s[0] - end))
        return round(last[1] - first[1], 1)

    def sample(self) -> None:
        """Record each tree's total resident memory if a new peak, and its CPU time."""
        for name, pid in list(self._roots.items()):
            tree = _tree(pid)
            self._peaks[name] = max(self._peaks.get(name, 0), sum(_rss_kb(p) for p in tree))
            self._cpu.setdefault(name, []).append((time.time(), sum(map(_cpu_seconds, tree))))

    def _run(self) -> None:
        while not self._stop.wait(self.INTERVAL):
            self.sample()


def _tree(pid: int) -> list[int]:
    """`pid` and all its descendants (gunicorn's master and its workers)."""
    found = [pid]
    for child in _children(pid):
        found += _tree(child)
    return found


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _rss_kb(pid: int) -> int:
    """VmRSS of a process in kB; 0 once it has gone."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in lines if line.startswith("VmRSS:")), 0)


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far; 0 once it has gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    # utime and stime are the 14th and 15th fields; the split starts at the 3rd.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
