"""A member list as read and checked, as the members step hands it to the graph and the steps after
(``ctx.members``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["Member", "MemberList"]


@dataclass(frozen=True)
class Member:
    """One row of a member list, read and checked."""

    name: str
    type: str
    stated_type: str | None
    postal_code: str | None
    municipality: str | None
    province: str | None
    region: str | None
    joined: dt.date | None
    bce: str | None
    bce_status: Literal["valid", "invalid", "missing"]
    row: int


@dataclass
class MemberList:
    """A member list read from one file: its members and one line per problem found."""

    path: str
    sha256: str
    members: list[Member] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def unknown_postal_codes(self) -> list[str]:
        return [p for p in self.problems if "postal code" in p]
