"""Flags on a meeting's entries, raised by apps that the pages showing them may not import.

The allocation board (``entries``) and race control (``championships``) show what is wrong
with an entry at a meeting, but what is wrong is decided higher up: the entrants' side
(``paddock``) knows the drivers' documents and the administrative checks. A higher app
registers a *provider* when it starts (``AppConfig.ready``); a lower page asks
``meeting_flags(meeting)`` and shows whatever comes back, keyed by entry id::

    register_meeting_flags(provider)  # provider(meeting) -> {entry_id: ["…", …]}
    meeting_flags(meeting)            # every provider's flags, merged

Trade-off: the layers stay as the import contracts say (``core`` imports no app; the lower
apps never import ``paddock``), at the price of a dependency the import linter cannot see:
a page of ``entries`` shows flags only if ``paddock`` is installed and has registered, and a
provider that is slow or fails makes every page that reads the flags slow or fail. So a
provider must load what it needs for the whole meeting in a constant number of queries, and
the pages' tests assert a flag from the real provider, not only the registry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

MeetingFlagProvider = Callable[[Any], dict[int, list[str]]]

_providers: list[MeetingFlagProvider] = []


def register_meeting_flags(provider: MeetingFlagProvider) -> None:
    """Add ``provider``; registering the same one again (a second ``ready()``) is a no-op."""
    if provider not in _providers:
        _providers.append(provider)


def meeting_flags(meeting: Any) -> dict[int, list[str]]:
    """Every provider's flags on ``meeting``'s entries: entry id → messages, in the order the
    providers were registered; an entry no provider flags is absent."""
    merged: dict[int, list[str]] = {}
    for provider in _providers:
        for entry_id, messages in provider(meeting).items():
            if messages:
                merged.setdefault(entry_id, []).extend(messages)
    return merged
