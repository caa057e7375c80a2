"""A tie's story (rule 4) as data, and the one set of sentences that words it.

The API says a tie in English and the standings page in the visitor's language; both call
``tie_sentence``, so the sentences are written once, as the catalogue's msgids."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from django.utils.translation import gettext_noop

from championships.standings.data import COUNTBACK
from championships.standings.rules import NO_RANK

TieKind = Literal["shared", "countback", "recent", "listed"]

_SUFFIXES = {1: "st", 2: "nd", 3: "rd"}


@dataclass(frozen=True)
class Tie:
    """What split a row from ``other``, a neighbour on equal points.

    ``ahead`` says which side of ``other`` the row is; ``rank``, ``mine`` and ``theirs`` are
    the countback's rank and the two counts of that rank, or the two ranks in the race
    ``race``; ``how`` is the season's tie-break, which a shared position names."""

    kind: TieKind
    other: str
    ahead: bool
    rank: int = 0
    mine: int = 0
    theirs: int = 0
    race: str = ""
    how: str = COUNTBACK


# A tie's sentence by (kind, which side, detail): the side is ahead (True) or behind, except
# for a shared position; the detail is "more" or "fewer" on countback, the tie-break if shared.
SENTENCES = {
    ("shared", None, COUNTBACK): gettext_noop(
        "shares the position with %(other)s: equal on every tie-break"
    ),
    ("shared", None, "none"): gettext_noop(
        "shares the position with %(other)s: equal on points (tie_break none)"
    ),
    # Not checked as python-format: Chinese says %(rank)s where English says %(ordinal)s.
    ("countback", True, "more"): gettext_noop(  # xgettext:no-python-format
        "ahead of %(other)s on countback: more %(ordinal)s places (%(mine)s to %(theirs)s)"
    ),
    ("countback", True, "fewer"): gettext_noop(  # xgettext:no-python-format
        "ahead of %(other)s on countback: fewer %(ordinal)s places (%(mine)s to %(theirs)s)"
    ),
    ("countback", False, "more"): gettext_noop(  # xgettext:no-python-format
        "behind %(other)s on countback: more %(ordinal)s places (%(mine)s to %(theirs)s)"
    ),
    ("countback", False, "fewer"): gettext_noop(  # xgettext:no-python-format
        "behind %(other)s on countback: fewer %(ordinal)s places (%(mine)s to %(theirs)s)"
    ),
    ("recent", True, None): gettext_noop(
        "ahead of %(other)s on the most recent race where they differ, %(race)s: "
        "%(mine)s to %(theirs)s"
    ),
    ("recent", False, None): gettext_noop(
        "behind %(other)s on the most recent race where they differ, %(race)s: "
        "%(mine)s to %(theirs)s"
    ),
    ("listed", True, None): gettext_noop("ahead of %(other)s"),
    ("listed", False, None): gettext_noop("behind %(other)s"),
}
NO_RANK_WORDS = gettext_noop("no rank")
RANK_WORDS = gettext_noop("rank %(rank)s")


def english(text: str) -> str:
    """The source text as it is: the msgids are the API's English."""
    return text


def tie_sentence(tie: Tie, translate: Callable[[str], str] = english) -> str:
    """The tie's story, e.g. "ahead of #7 on countback: more 2nd places (2 to 1)": in English
    by default (the API), in the visitor's language with ``translate=gettext`` (a page)."""
    mine: int | str = tie.mine
    theirs: int | str = tie.theirs
    if tie.kind == "recent":
        mine, theirs = rank_words(tie.mine, translate), rank_words(tie.theirs, translate)
    words = {"other": tie.other, "rank": tie.rank, "ordinal": ordinal(tie.rank), "race": tie.race}
    words |= {"mine": mine, "theirs": theirs}
    return translate(SENTENCES[sentence_key(tie)]) % words


def sentence_key(tie: Tie) -> tuple[str, bool | None, str | None]:
    if tie.kind == "shared":
        return ("shared", None, tie.how)
    if tie.kind == "countback":
        return ("countback", tie.ahead, "more" if tie.mine > tie.theirs else "fewer")
    return (tie.kind, tie.ahead, None)


def rank_words(rank: int, translate: Callable[[str], str] = english) -> str:
    """A rank in a race as a tie on the most recent race says it: "rank 3", or "no rank"."""
    return translate(NO_RANK_WORDS) if rank == NO_RANK else translate(RANK_WORDS) % {"rank": rank}


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, …, 11th, 12th, 13th, …, 21st."""
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{_SUFFIXES.get(number % 10, 'th')}"
