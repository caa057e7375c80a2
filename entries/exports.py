"""The entry list of a meeting for broadcasters and timing, as CSV or JSON.

Each car with its number, driver, team, class (rule 7: the one it holds on the meeting's
first day), the driver's FIA category in force on that day, for an arrive-and-drive entry
the chassis allocated to it there, and the driver's nationality (ISO 3166 code; added last,
so that the earlier columns keep their places). The back office download, the public
download, the API and the ``export_entry_list`` command all use these. The CSV goes
through the site's one spreadsheet-safe writer: a name cannot start a formula.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from django.db.models import OuterRef, Subquery
from django.http import HttpResponse

from championships.models import Meeting
from core.csv_export import csv_text
from core.downloads import attachment
from entries.models import CarAllocation

COLUMNS = ("number", "driver", "team", "class", "category", "chassis", "nationality")
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


@dataclass(frozen=True)
class EntryListRow:
    number: int
    driver: str
    team: str
    entry_class: str
    category: str
    chassis: str | None
    nationality: str

    def as_dict(self) -> dict[str, object]:
        row = asdict(self)
        row["class"] = row.pop("entry_class")
        return {column: row[column] for column in COLUMNS}


def entry_list(meeting: Meeting) -> list[EntryListRow]:
    """The meeting's entry list, by car number, in one query."""
    chassis = CarAllocation.objects.filter(meeting=meeting, entry=OuterRef("pk")).values(
        "car__chassis_number"
    )
    entries = (
        meeting.championship.entries.with_people()
        .with_category_on(meeting.start_date)
        .with_class_on(meeting.start_date)
        .annotate(chassis=Subquery(chassis[:1]))
        .order_by("car_number")
    )
    return [
        EntryListRow(
            number=entry.car_number,
            driver=entry.driver.full_name,
            team=entry.team.name,
            entry_class=entry.class_in_force,
            category=entry.category_in_force,
            chassis=entry.chassis,
            nationality=entry.driver.nationality,
        )
        for entry in entries
    ]


def entry_list_csv(meeting: Meeting) -> str:
    rows = [row.as_dict() for row in entry_list(meeting)]
    return csv_text(COLUMNS, rows, numbers=("number",), lineterminator="\n")


def entry_list_document(meeting: Meeting) -> dict[str, object]:
    """The meeting and its entry list, as the JSON file and the API give them."""
    return {
        "championship": meeting.championship.slug,
        "round": meeting.round,
        "circuit": meeting.circuit.name,
        "start_date": meeting.start_date.isoformat(),
        "end_date": meeting.end_date.isoformat(),
        "entries": [row.as_dict() for row in entry_list(meeting)],
    }


def entry_list_json(meeting: Meeting) -> str:
    return json.dumps(entry_list_document(meeting), ensure_ascii=False, indent=2) + "\n"


def entry_list_export(meeting: Meeting, file_format: str) -> str:
    """The entry list in ``file_format``, csv or json; ValueError for another."""
    if file_format == "csv":
        return entry_list_csv(meeting)
    if file_format == "json":
        return entry_list_json(meeting)
    raise ValueError(f"expected a format: {', '.join(FORMATS)}")


def entry_list_file_name(meeting: Meeting, file_format: str) -> str:
    return f"{meeting.championship.slug}-round-{meeting.round}-entry-list.{file_format}"


def entry_list_download(meeting: Meeting, file_format: str) -> HttpResponse:
    """The entry list as a file to save, for the back office and the public download alike."""
    return attachment(
        entry_list_export(meeting, file_format),
        entry_list_file_name(meeting, file_format),
        FORMATS[file_format],
    )
