"""A moment as a race weekend reads it: in the circuit's time zone, the zone named. Pure.

The notice board, its PDFs, the entrants' filings and the stewards' pages all write times
this one way: ``2026-03-15 15:42 (Asia/Kuala_Lumpur, UTC+08:00)``.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo


def zone_name(moment: dt.datetime, zone: str) -> str:
    """``Asia/Kuala_Lumpur, UTC+08:00``: the zone and its offset at ``moment``."""
    offset = moment.astimezone(zoneinfo.ZoneInfo(zone)).strftime("%z")
    return f"{zone}, UTC{offset[:3]}:{offset[3:]}"


def circuit_clock(
    moment: dt.datetime,
    zone: str,
    *,
    same_day_as: dt.datetime | None = None,
    seconds: bool = False,
) -> str:
    """``15:42`` in the circuit's time, with its date (``2026-03-15 15:42``) unless it falls on
    the same local day as ``same_day_as``; ``15:42:07`` with ``seconds``."""
    local = moment.astimezone(zoneinfo.ZoneInfo(zone))
    clock = f"{local:%H:%M:%S}" if seconds else f"{local:%H:%M}"
    if same_day_as is not None and same_day_as.astimezone(local.tzinfo).date() == local.date():
        return clock
    return f"{local:%Y-%m-%d} {clock}"


def circuit_time(moment: dt.datetime, zone: str) -> str:
    """``2026-03-15 15:42 (Asia/Kuala_Lumpur, UTC+08:00)``."""
    return f"{circuit_clock(moment, zone)} ({zone_name(moment, zone)})"
