"""The season's scheduled job, run by the task queue's worker (`make worker`, UTC); importing
``championships.board`` registers the drawing of the board's PDFs (``board_draw``) with it."""

from __future__ import annotations

from huey import crontab

from championships.board import board_pending, board_render
from core.queue import db_periodic_task


@db_periodic_task(crontab(minute="7"))
def board_undrawn() -> int:
    """Hourly, what ``manage.py board_render`` does: draw the generated documents whose PDFs
    are missing (a worker stopped mid-drawing, a drawing failed for good). How many."""
    drawn = 0
    for document_id in board_pending():
        board_render(document_id=document_id)
        drawn += 1
    return drawn
