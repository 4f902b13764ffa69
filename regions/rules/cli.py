"""Command line: ``obligations FILE [--on DATE]`` prints the spec's output JSON.

Exit 0 with the JSON on stdout; exit 2 with Swedish messages naming the bad
key on stderr and nothing on stdout. ``manage.py obligations`` calls run().
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from datetime import date, datetime
from typing import TextIO
from zoneinfo import ZoneInfo

from regions.rules.engine import evaluate
from regions.rules.portfolio import PortfolioError, evaluation_to_dict, parse_portfolio
from regions.rules.profile import load_profile

USAGE = "användning: obligations FIL [--on ÅÅÅÅ-MM-DD]"
EXIT_OK = 0
EXIT_INPUT = 2
# "Today" is the Swedish calendar day, whatever the server's timezone.
TIMEZONE = ZoneInfo("Europe/Stockholm")


class InputError(Exception):
    """Bad arguments or input; each item of ``messages`` is one stderr line."""

    def __init__(self, *messages: str) -> None:
        super().__init__(*messages)
        self.messages = list(messages)


@dataclass(frozen=True, slots=True)
class Arguments:
    """The parsed command line."""

    file: str
    on: date


def run(argv: list[str], stdout: TextIO, stderr: TextIO) -> int:
    """Run the command line ``argv`` (starting with ``obligations``); return the exit code."""
    try:
        args = parse_args(argv)
        if args is None:
            stdout.write(USAGE + "\n")
            return EXIT_OK
        output = obligations_json(read_json(args.file), args.on)
    except InputError as error:
        for message in error.messages:
            stderr.write(message + "\n")
        return EXIT_INPUT
    stdout.write(output + "\n")
    return EXIT_OK


def parse_args(argv: list[str]) -> Arguments | None:
    """Parse ``obligations FILE [--on DATE]``; None means help was asked for."""
    if not argv or argv[0] != "obligations":
        raise InputError(f"okänt kommando {argv[0]!r}" if argv else "kommando saknas", USAGE)
    rest = list(argv[1:])
    if "-h" in rest or "--help" in rest:
        return None
    on_text: str | None = None
    files: list[str] = []
    while rest:
        item = rest.pop(0)
        if item == "--on":
            if not rest:
                raise InputError("--on: datum saknas", USAGE)
            on_text = rest.pop(0)
        elif item.startswith("--on="):
            on_text = item.removeprefix("--on=")
        elif item.startswith("-") and item != "-":
            raise InputError(f"okänd flagga {item!r}", USAGE)
        else:
            files.append(item)
    if len(files) != 1:
        raise InputError("ange exakt en fil", USAGE)
    return Arguments(file=files[0], on=_parse_on(on_text))


def _parse_on(text: str | None) -> date:
    if text is None:
        return datetime.now(tz=TIMEZONE).date()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise InputError(f'--on: ogiltigt datum "{text}"', USAGE)


def read_json(path: str) -> object:
    """Read and decode a JSON file; ``-`` reads standard input."""
    try:
        if path == "-":
            text = sys.stdin.read()
        else:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
    except OSError as error:
        raise InputError(f'kan inte läsa filen "{path}": {error.strerror}') from error
    except UnicodeDecodeError as error:
        raise InputError(f'filen "{path}" är inte UTF-8') from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        where = f"rad {error.lineno}, kolumn {error.colno}"
        raise InputError(f'ogiltig JSON i "{path}" ({where})') from error


def obligations_json(data: object, on: date) -> str:
    """Validate ``data`` as a portfolio, evaluate it on ``on`` and render the output."""
    try:
        portfolio = parse_portfolio(data)
    except PortfolioError as error:
        raise InputError(*error.messages) from error
    evaluation = evaluate(portfolio, load_profile(portfolio.region), on)
    result = evaluation_to_dict(portfolio.region, on, evaluation)
    return json.dumps(result, ensure_ascii=False, indent=2)


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:], sys.stdout, sys.stderr))
