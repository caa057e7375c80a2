"""The entrant's page links to the team's notice board with how many documents wait for
acknowledgement: ``{% board_waiting sections as waiting %}`` (one query for all the teams)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

from paddock.services.notices import waiting_count

register = template.Library()


@register.simple_tag
def board_waiting(sections: Iterable[Any]) -> int:
    """How many documents wait for acknowledgement, over the teams of the page's sections."""
    return waiting_count([section.team for section in sections])
