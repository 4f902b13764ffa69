"""``manage.py bench_load``: locust's simulated users against gunicorn at national scale."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

TARGET_MS = 300
# gunicorn as deployed (Dockerfile, docker-compose.yml): three processes keep both
# cores busy while one waits on the database, four threads each cover such waits at
# less memory than a process. Three by two measured the same on this machine.
WORKERS = 3
THREADS = 4
# Two minutes: the rarer pages (the region page, a tenth of the study directors'
# requests) then have some fifty samples, not a p95 that is simply the maximum.
DURATION = 120


class Command(BaseCommand):
    help = (
        "Belastningstest: fyller en engångsdatabas i nationell skala, startar gunicorn på "
        "loopback och kör locust med samtidiga ST-läkare och studierektorer; skriver "
        "anrop per sekund, svarstider (p50/p95/p99) per sida, fel och högsta minnesanvändning."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """Scale, load and server; `--prepare` is the seeding child's entry point."""
        parser.add_argument("--trainees", type=int, default=10_000)
        parser.add_argument("--events", type=int, default=60, help="händelser per ST-läkare")
        parser.add_argument("--users", type=int, default=20, help="samtidiga användare")
        parser.add_argument(
            "--duration",
            type=int,
            default=DURATION,
            help="mätta sekunder efter sista inloggningen",
        )
        # Slow enough that logins from one address do not time out on allauth's rate-limit lock.
        parser.add_argument("--spawn-rate", type=float, default=2, help="nya användare per sekund")
        parser.add_argument("--workers", type=int, default=WORKERS, help="gunicorn-processer")
        parser.add_argument("--threads", type=int, default=THREADS, help="trådar per process")
        parser.add_argument(
            "--database-url",
            help="t.ex. postgres://…/stprogram_load (skapas om den saknas); "
            "standard: en SQLite-fil i en tillfällig katalog",
        )
        parser.add_argument("--redis-url", help="cache för gunicorn (standard: databascache)")
        parser.add_argument(
            "--reuse", action="store_true", help="använd en databas som bench_load redan fyllt"
        )
        parser.add_argument(
            "--strict", action="store_true", help="avsluta med fel när målet inte nås"
        )
        parser.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        """Run the benchmark (or, with --prepare, seed the configured database) and report."""
        if options["prepare"]:
            self._prepare(options)
            return
        from devtools.bench.load import LoadError, bench_load

        if min(options["users"], options["duration"], options["trainees"]) < 1:
            raise CommandError("--users, --duration och --trainees måste vara minst 1")
        try:
            figures = bench_load(_load_options(options))
        except LoadError as error:
            raise CommandError(str(error)) from error
        self._report(figures, options)
        misses = misses_of(figures)
        if misses and options["strict"]:
            raise CommandError("MISS: " + "; ".join(misses))

    def _prepare(self, options: dict[str, Any]) -> None:
        from devtools.bench.load_seed import SeedError, prepare

        try:
            prepare(options["trainees"], options["events"], options["reuse"], options["prepare"])
        except SeedError as error:
            raise CommandError(str(error)) from error

    def _report(self, figures: dict[str, Any], options: dict[str, Any]) -> None:
        for line in report_lines(figures, options):
            self.stdout.write(line)


def _load_options(options: dict[str, Any]) -> Any:
    from devtools.bench.load import LoadOptions

    return LoadOptions(
        **{
            name: options[name]
            for name in (
                "trainees",
                "events",
                "users",
                "duration",
                "spawn_rate",
                "workers",
                "threads",
                "database_url",
                "redis_url",
                "reuse",
            )
        }
    )


def report_lines(figures: dict[str, Any], options: dict[str, Any]) -> list[str]:
    """The figures as the lines the command prints."""
    seeded = figures["seed_seconds"]
    login = figures["login"]
    load = figures["load"]
    lines = [
        f"database: {figures['vendor']} "
        + (f"(seeded in {seeded} s)" if seeded is not None else "(reused)"),
        f"region used: {figures['region']}, {figures['region_trainees']} trainees, "
        f"{figures['region_units']} units",
        f"gunicorn: {options['workers']} workers x {options['threads']} threads; "
        f"locust: {figures['users']} users, {figures['logged_in']} logged in, "
        f"measured {figures['window_seconds']} s after the last login",
        f"login (not in the page figures): {login['count']} requests, "
        f"p50 {login['p50_ms']:.0f} ms, p95 {login['p95_ms']:.0f} ms, {login['errors']} errors",
        f"machine load average (1 min): {load['before']:.1f} before, {load['after']:.1f} after, "
        f"{load['cores']} cores",
        f"requests per second: {figures['rps']}",
        server_cpu_line(figures),
    ]
    lines += [
        f"{name}: {page['count']} requests, p50 {page['p50_ms']:.0f} ms, "
        f"p95 {page['p95_ms']:.0f} ms, p99 {page['p99_ms']:.0f} ms, {page['errors']} errors"
        for name, page in figures["pages"].items()
    ]
    lines += [f"error: {e['name']}: {e['error']} ({e['count']}x)" for e in figures["errors"]]
    lines += [f"gunicorn log: {line}" for line in figures["server_log"]]
    peaks = figures["peak_rss_mb"]
    lines += [
        f"errors: {total_errors(figures)}",
        f"peak memory: gunicorn {peaks.get('gunicorn', 0):.0f} MB (master and workers), "
        f"locust {peaks.get('locust', 0):.0f} MB",
        f"target: p95 < {TARGET_MS} ms on every page and no errors at {figures['users']} users: "
        + ("MISS (" + "; ".join(misses_of(figures)) + ")" if misses_of(figures) else "met"),
    ]
    return lines


def server_cpu_line(figures: dict[str, Any]) -> str:
    """Gunicorn's CPU time per page request: what other work on the machine does not change."""
    seconds = figures["server_cpu_seconds"]
    requests = sum(p["count"] for p in figures["pages"].values())
    if seconds is None or not requests:
        return "gunicorn CPU: not measured"
    return (
        f"gunicorn CPU: {seconds} s in {figures['window_seconds']} s, "
        f"{seconds * 1000 / requests:.0f} ms per request"
    )


def total_errors(figures: dict[str, Any]) -> int:
    """Failed page requests and failed logins."""
    return sum(p["errors"] for p in figures["pages"].values()) + figures["login"]["errors"]


def misses_of(figures: dict[str, Any]) -> list[str]:
    """Why the target is missed: pages at or over it, errors, or a run that never measured."""
    misses = [
        f"{name} p95 {page['p95_ms']:.0f} ms"
        for name, page in figures["pages"].items()
        if page["p95_ms"] >= TARGET_MS
    ]
    if errors := total_errors(figures):
        misses.append(f"{errors} errors")
    if not figures["complete"]:
        misses.append("not every user logged in")
    return misses
