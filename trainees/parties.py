"""Who signs a region's ST contract and approves its IUP, from the regional sources.

Each entry is a list of groups; a document is complete when every group has a
signature from one of the parties in it (Halland: the head of unit *and/or*
the study director approves the IUP).
"""

from __future__ import annotations

from dataclasses import dataclass

from stprogram.signing import HEAD_OF_UNIT, MAIN_SUPERVISOR, STUDY_DIRECTOR, TRAINEE

ALL_FOUR = ((TRAINEE,), (HEAD_OF_UNIT,), (MAIN_SUPERVISOR,), (STUDY_DIRECTOR,))


@dataclass(frozen=True)
class Parties:
    groups: tuple[tuple[str, ...], ...]
    source: str

    @property
    def all(self) -> tuple[str, ...]:
        """Every party that may sign, in the order they are listed."""
        return tuple(p for group in self.groups for p in group)


CONTRACT_PARTIES = {
    "blekinge": Parties(ALL_FOUR, "000_78535177efd85ec7.txt §2.1"),
    "norrbotten": Parties(ALL_FOUR, "001_6c26e9e13ad81653.txt Övergripande mål"),
    # The Östergötland guideline has no contract rule (no source to cite); its
    # own agreement is signed by the same four, so the product default follows that.
    "ostergotland": Parties(ALL_FOUR, ""),
    "jonkoping": Parties(ALL_FOUR, "003_9a0985358a5453c7.txt Dokumentation, ST-kontrakt"),
    "halland": Parties(ALL_FOUR, "004_345cedfb9b047071.txt ST-kontrakt"),
}

IUP_PARTIES = {
    "blekinge": Parties(
        ((TRAINEE,), (HEAD_OF_UNIT,), (MAIN_SUPERVISOR,), (STUDY_DIRECTOR,)),
        "000_78535177efd85ec7.txt §2.2",
    ),
    "norrbotten": Parties(
        ((TRAINEE,), (MAIN_SUPERVISOR,), (STUDY_DIRECTOR,)),
        "001_6c26e9e13ad81653.txt Individuellt utbildningsprogram",
    ),
    "ostergotland": Parties(
        ((TRAINEE,), (MAIN_SUPERVISOR,), (STUDY_DIRECTOR,)),
        "002_9e78cac0a2d4eb6a.txt ST-läkarens ansvar",
    ),
    "jonkoping": Parties(
        ((TRAINEE,), (MAIN_SUPERVISOR,)),
        "003_9a0985358a5453c7.txt Individuellt utbildningsprogram",
    ),
    "halland": Parties(
        ((TRAINEE,), (MAIN_SUPERVISOR,), (HEAD_OF_UNIT, STUDY_DIRECTOR)),
        "004_345cedfb9b047071.txt Individuellt utbildningsprogram",
    ),
}


def is_complete(parties: Parties, signed: set[str]) -> bool:
    """Whether every group has at least one signature."""
    return all(signed & set(group) for group in parties.groups)
