"""Who signs a region's ST contract and approves its IUP, from the region's rule profile.

Each entry is a list of groups; a document is complete when every group has a
signature from one of the parties in it (Halland: the head of unit *and/or*
the study director approves the IUP).
"""

from __future__ import annotations

from dataclasses import dataclass

from regions.rules.profile import all_profiles

# The party names live with the signatures; re-exported for the callers here.
from stprogram.signing import (  # noqa: F401
    HEAD_OF_UNIT,
    MAIN_SUPERVISOR,
    PARTY_LABELS,
    STUDY_DIRECTOR,
    TRAINEE,
)


@dataclass(frozen=True)
class Parties:
    groups: tuple[tuple[str, ...], ...]
    source: str

    @property
    def all(self) -> tuple[str, ...]:
        """Every party that may sign, in the order they are listed."""
        return tuple(p for group in self.groups for p in group)


def _from_profiles(document: str) -> dict[str, Parties]:
    """Each region's signing parties for ``document``, as its rule profile cites them."""
    result = {}
    for slug, profile in all_profiles().items():
        found = getattr(profile, f"{document}_parties")
        result[slug] = Parties(found.groups, found.source)
    return result


# Read once: the profiles are bundled files (regions/rules/profiles/*.toml, [parties]).
CONTRACT_PARTIES = _from_profiles("contract")
IUP_PARTIES = _from_profiles("iup")
# A new version of an approved IUP: Blekinge's study director joins only "vid behov".
IUP_REVISION_PARTIES = _from_profiles("iup_revision")


def iup_parties(slug: str, *, revision: bool) -> Parties:
    """Who must sign an IUP version: the first of its phase, or a later one (a revision)."""
    return (IUP_REVISION_PARTIES if revision else IUP_PARTIES)[slug]


def is_complete(parties: Parties, signed: set[str]) -> bool:
    """Whether every group has at least one signature."""
    return all(signed & set(group) for group in parties.groups)
