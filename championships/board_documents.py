"""The documents CupManager draws itself and posts on the notice board: each classification
version, each decision, the entry list, a race's grid and the standings after a meeting.

Each ``board_publish_<kind>`` gathers what the document shows into plain JSON (frozen in the
document's ``content``: names in both languages, times as the timing sheets write them) and
publishes it through ``championships.board.board_publish``; the PDFs are drawn from that
content after the commit (``championships.board_pdf``).

INTERFACE ONLY, filled in by the notice board's PDF work of issue 19 in this session.
"""

from __future__ import annotations

from typing import Any

from championships.models import BoardDocument, ClassificationVersion, Meeting, Penalty, Race


def board_publish_version(*, version: ClassificationVersion, user: Any = None) -> BoardDocument:
    """Post a classification version (provisional, final or amended), superseding the race's
    previous version document."""
    raise NotImplementedError


def board_publish_decision(*, penalty: Penalty, user: Any = None) -> BoardDocument:
    """Post a stewards' decision, superseding the earlier document of the same decision."""
    raise NotImplementedError


def board_publish_entry_list(*, meeting: Meeting, user: Any = None) -> BoardDocument:
    raise NotImplementedError


def board_publish_grid(*, race: Race, user: Any = None) -> BoardDocument:
    raise NotImplementedError


def board_publish_standings(*, meeting: Meeting, user: Any = None) -> BoardDocument:
    raise NotImplementedError
