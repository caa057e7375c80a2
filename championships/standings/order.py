"""Rule 4 (and 5.4) applied to whole tables: sort, number the positions, tell each tie's story."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from championships.standings import rules
from championships.standings.ties import Tie


@dataclass(frozen=True)
class Standing:
    """A row's claim to its place: total, tie-break keys, and how shared rows are listed."""

    total: Decimal
    countback: tuple[int, ...]
    recent: tuple[int, ...]
    listed_by: int | str
    label: str
    tie_break: str

    @property
    def key(self) -> tuple[Decimal | tuple[int, ...], ...]:
        return rules.order_key(self.total, self.tie_break, self.countback, self.recent)


@dataclass(frozen=True)
class Place:
    index: int
    position: int
    ties: tuple[Tie, ...]


def place(standings: Sequence[Standing], style: str, recent_labels: Sequence[str]) -> list[Place]:
    """Rule 4: the rows' order as indexes into ``standings``, each with position and tie story.

    ``recent_labels`` names the races in the order of ``Standing.recent`` (most recent
    first), so that a split on rule 4.2 can say which race decided it.
    """
    order = sorted(range(len(standings)), key=lambda i: (standings[i].key, standings[i].listed_by))
    ordered = [standings[i] for i in order]
    numbers = rules.positions([s.key for s in ordered], style)
    return [
        Place(index, numbers[n], tie_stories(ordered, n, recent_labels))
        for n, index in enumerate(order)
    ]


def tie_stories(
    ordered: Sequence[Standing], n: int, recent_labels: Sequence[str]
) -> tuple[Tie, ...]:
    """For each neighbour on equal points, which step of the tie-break split the two."""
    this = ordered[n]
    neighbours = ((n - 1, False), (n + 1, True))  # behind the row above, ahead of the one below
    return tuple(
        tie_story(this, ordered[m], ahead, recent_labels)
        for m, ahead in neighbours
        if 0 <= m < len(ordered) and ordered[m].total == this.total
    )


def tie_story(this: Standing, other: Standing, ahead: bool, recent_labels: Sequence[str]) -> Tie:
    """Which step of the tie-break split ``this`` from ``other``; ``tie_sentence`` words it."""
    if this.key == other.key:
        return Tie("shared", other.label, ahead, how=this.tie_break)
    for rank, (mine, theirs) in enumerate(
        zip(this.countback, other.countback, strict=True), start=1
    ):
        if mine != theirs:  # the counts are kept negated, so that more sorts first
            return Tie("countback", other.label, ahead, rank=rank, mine=-mine, theirs=-theirs)
    for label, mine, theirs in zip(recent_labels, this.recent, other.recent, strict=True):
        if mine != theirs:
            return Tie("recent", other.label, ahead, race=label, mine=mine, theirs=theirs)
    return Tie("listed", other.label, ahead)
