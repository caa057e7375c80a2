"""Rule 4 (and 5.4) applied to whole tables: sort, number the positions, tell each tie's story."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from championships.standings import rules
from championships.standings.data import COUNTBACK

_SUFFIXES = {1: "st", 2: "nd", 3: "rd"}


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
    ties: tuple[str, ...]


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
) -> tuple[str, ...]:
    """For each neighbour on equal points, which step of the tie-break split the two."""
    this = ordered[n]
    neighbours = ((n - 1, "behind"), (n + 1, "ahead of"))
    return tuple(
        tie_story(this, ordered[m], word, recent_labels)
        for m, word in neighbours
        if 0 <= m < len(ordered) and ordered[m].total == this.total
    )


def tie_story(this: Standing, other: Standing, word: str, recent_labels: Sequence[str]) -> str:
    """One sentence, e.g. "ahead of #7 on countback: more 2nd places (2 to 1)"."""
    if this.key == other.key:
        how = "every tie-break" if this.tie_break == COUNTBACK else "points (tie_break none)"
        return f"shares the position with {other.label}: equal on {how}"
    for rank, (mine, theirs) in enumerate(
        zip(this.countback, other.countback, strict=True), start=1
    ):
        if mine != theirs:
            more = "more" if mine < theirs else "fewer"
            return (
                f"{word} {other.label} on countback: {more} {ordinal(rank)} places "
                f"({-mine} to {-theirs})"
            )
    for label, mine, theirs in zip(recent_labels, this.recent, other.recent, strict=True):
        if mine != theirs:
            return (
                f"{word} {other.label} on the most recent race where they differ, "
                f"{label}: {rank_words(mine)} to {rank_words(theirs)}"
            )
    return f"{word} {other.label}"


def rank_words(rank: int) -> str:
    return "no rank" if rank == rules.NO_RANK else f"rank {rank}"


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, …, 11th, 12th, 13th, …, 21st."""
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{_SUFFIXES.get(number % 10, 'th')}"
