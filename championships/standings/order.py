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
    neighbours = ((n - 1, "behind"), (n + 1, "ahead of"))
    return tuple(
        tie_story(this, ordered[m], word, recent_labels)
        for m, word in neighbours
        if 0 <= m < len(ordered) and ordered[m].total == this.total
    )


class Tie(str):
    """One tie's story: the API's English sentence, with its parts kept so that a page can
    say it in the visitor's language (``templatetags.cup.tie_text``).

    ``kind`` is "shared", "countback", "recent" or "listed"; ``ahead`` says which side of
    ``other`` the row is; ``rank``, ``mine`` and ``theirs`` are the countback's rank and
    counts, or the two ranks in the race ``race``; ``how`` is "countback" or "none"."""

    kind: str = "listed"
    other: str = ""
    ahead: bool = True
    rank: int = 0
    mine: int = 0
    theirs: int = 0
    race: str = ""
    how: str = COUNTBACK

    def __new__(cls, text: str, **parts: object) -> Tie:
        tie = super().__new__(cls, text)
        tie.__dict__.update(parts)
        return tie


def tie_story(this: Standing, other: Standing, word: str, recent_labels: Sequence[str]) -> Tie:
    """One sentence, e.g. "ahead of #7 on countback: more 2nd places (2 to 1)"."""
    parts: dict[str, object] = {"other": other.label, "ahead": word == "ahead of"}
    if this.key == other.key:
        how = "every tie-break" if this.tie_break == COUNTBACK else "points (tie_break none)"
        text = f"shares the position with {other.label}: equal on {how}"
        return Tie(text, kind="shared", how=this.tie_break, **parts)
    for rank, (mine, theirs) in enumerate(
        zip(this.countback, other.countback, strict=True), start=1
    ):
        if mine != theirs:
            more = "more" if mine < theirs else "fewer"
            text = (
                f"{word} {other.label} on countback: {more} {ordinal(rank)} places "
                f"({-mine} to {-theirs})"
            )
            return Tie(text, kind="countback", rank=rank, mine=-mine, theirs=-theirs, **parts)
    for label, mine, theirs in zip(recent_labels, this.recent, other.recent, strict=True):
        if mine != theirs:
            text = (
                f"{word} {other.label} on the most recent race where they differ, "
                f"{label}: {rank_words(mine)} to {rank_words(theirs)}"
            )
            return Tie(text, kind="recent", race=label, mine=mine, theirs=theirs, **parts)
    return Tie(f"{word} {other.label}", kind="listed", **parts)


def rank_words(rank: int) -> str:
    return "no rank" if rank == rules.NO_RANK else f"rank {rank}"


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, …, 11th, 12th, 13th, …, 21st."""
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{_SUFFIXES.get(number % 10, 'th')}"
