from __future__ import annotations

import multiprocessing
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.test.utils import override_settings

from regions.tenancy import region_context
from trainees.certificates import official
from trainees.certificates.drafts import Draft, drafts_for
from trainees.certificates.render import certificate_pdf, packet_pdf
from trainees.models import Trainee


def _peak_rss_mb() -> float:
    """The process's peak resident memory (VmHWM), in MB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _render_packet(trainee: Trainee, drafts: list[Draft], pipe: Any) -> None:
    # Runs in a child process, as a worker would: its peak memory is the figure.
    started = time.perf_counter()
    _content, pages = packet_pdf(trainee, drafts)
    pipe.send((time.perf_counter() - started, pages, _peak_rss_mb()))
    pipe.close()


class Command(BaseCommand):
    help = (
        "Mät renderingstiden för ett intyg och för ett intygspaket, och arbetsprocessens "
        "högsta minnesanvändning."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--trainee", default="st2021@halland.demo", help="ST-läkarens e-post")
        parser.add_argument("--certificates", type=int, default=20, help="intyg i paketet")
        parser.add_argument("--runs", type=int, default=5, help="mätningar av ett intyg")
        parser.add_argument(
            "--forms",
            type=Path,
            help="katalog med Socialstyrelsens blanketter: installeras tillfälligt och fylls i",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        trainee = (
            Trainee.unscoped.select_related("region", "user", "home_unit", "specialty")
            .filter(user__email=options["trainee"].lower())
            .first()
        )
        if trainee is None:
            self.stderr.write(f"--trainee: {options['trainee']} finns inte (kör seed_demo?)")
            sys.exit(2)
        if options["forms"] is None:
            self._measure(trainee, options)
            return
        with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
            done, _refused = official.install_dir(options["forms"])
            self.stdout.write(f"{len(done)} officiella blanketter installerade (tillfälligt).")
            self._measure(trainee, options)

    def _measure(self, trainee: Trainee, options: dict[str, Any]) -> None:
        with region_context(trainee.region):
            drafts = drafts_for(trainee)
        one = next((d for d in drafts if d.number), drafts[0])
        kind = "officiell blankett" if official.installed(one.form.key) else "utkast"
        times = []
        for _run in range(max(options["runs"], 1)):
            started = time.perf_counter()
            certificate_pdf(trainee, one)
            times.append(time.perf_counter() - started)
        packet = _packet_of(drafts, options["certificates"])
        seconds, pages, peak = self._in_child(trainee, packet)
        self.stdout.write(
            f"Ett intyg ({one.form.footer}, {kind}): median {statistics.median(times):.3f} s "
            "(mål < 0,5 s)"
        )
        self.stdout.write(
            f"Paket med {len(packet) - 1} intyg ({pages} sidor): {seconds:.3f} s (mål < 5 s), "
            f"arbetsprocessens högsta minne {peak:.0f} MB"
        )

    def _in_child(self, trainee: Trainee, packet: list[Draft]) -> tuple[float, int, float]:
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=_render_packet, args=(trainee, packet, send))
        child.start()
        result = receive.recv()
        child.join()
        return result


def _packet_of(drafts: list[Draft], count: int) -> list[Draft]:
    """An application followed by `count` certificates (the trainee's own, repeated as needed)."""
    application = next(d for d in drafts if d.number is None)
    attachments = [d for d in drafts if d.number is not None] or [application]
    return [application] + [
        replace(d, number=i + 1, key=f"{d.key}-{i}")
        for i, d in ((i, attachments[i % len(attachments)]) for i in range(max(count, 1)))
    ]
