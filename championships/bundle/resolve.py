"""What the database already holds that a season refers to, and the conflicts with it.

Run inside the import's transaction, in a fixed number of queries whatever the season's size.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.text import slugify
from django.utils.translation import gettext

from championships.bundle.reader import CALENDAR_FILE, ENTRIES_FILE, TOML_FILE
from championships.bundle.spec import ChampionshipSpec, SeasonSpec
from championships.models import Championship, Circuit, Series
from core.imports import FileIssue
from entries.models import Driver, Entry, Team, drivers_by_person


@dataclass
class Existing:
    championship: Championship | None = None  # the one to replace
    series: Series | None = None
    circuits: dict[str, Circuit] = field(default_factory=dict)  # by name
    drivers: dict[str, Driver] = field(default_factory=dict)  # by entries.models.person_key
    # Drivers whose category and nationality this season may set: none of them has an
    # entry in a later year, which would know better.
    drivers_to_update: set[str] = field(default_factory=set)
    teams: dict[str, Team] = field(default_factory=dict)  # by name


def find_existing(season: SeasonSpec, *, replace: bool, issues: list[FileIssue]) -> Existing:
    """Add to ``issues`` every conflict with the database: a slug that exists (unless
    ``replace``), a circuit known with another country or zone, a name whose slug is taken."""
    existing = Existing()
    spec = season.championship
    if spec is not None:
        existing.championship = _championship(spec.slug, replace, spec.key_lines, issues)
        existing.series = _series(spec.series, spec.key_lines, issues)
    existing.circuits = _circuits(season, issues)
    people = [(entry.first_name, entry.last_name, entry.date_of_birth) for entry in season.entries]
    existing.drivers = drivers_by_person(people)
    existing.drivers_to_update = _drivers_to_update(existing.drivers, spec)
    existing.teams = _teams(season, issues)
    return existing


def _championship(
    slug: str | None, replace: bool, lines: dict[str, int], issues: list[FileIssue]
) -> Championship | None:
    championship = Championship.objects.filter(slug=slug).first() if slug else None
    if championship and not replace:
        message = gettext(
            "a championship %(slug)s exists already (%(name)s); import with replace to replace it"
        ) % {"slug": slug, "name": championship.name}
        issues.append(FileIssue(TOML_FILE, lines.get("slug"), "slug", message))
    return championship


def _series(name: str | None, lines: dict[str, int], issues: list[FileIssue]) -> Series | None:
    if not name:
        return None
    # A bundle names things in English, whatever language the import runs in.
    found = list(Series.objects.filter(name_en=name) | Series.objects.filter(slug=slugify(name)))
    series = next((s for s in found if s.name_en == name), None)
    if series is None and found:
        message = gettext("its slug %(slug)s is taken by the series %(series)r") % {
            "slug": found[0].slug,
            "series": found[0].name,
        }
        issues.append(FileIssue(TOML_FILE, lines.get("series"), "series", message))
    return series


def _circuits(season: SeasonSpec, issues: list[FileIssue]) -> dict[str, Circuit]:
    specs = {meeting.circuit.name: meeting.circuit for meeting in season.meetings}
    circuits = Circuit.objects.in_bulk(list(specs), field_name="name_en")
    for name, circuit in circuits.items():
        spec = specs[name]
        for column, ours, theirs in (
            ("country", spec.country, circuit.country),
            ("timezone", spec.timezone, circuit.timezone),
        ):
            if ours != theirs:
                message = gettext("%(circuit)s is known with %(column)s %(theirs)s, not %(ours)s")
                message %= {"circuit": name, "column": column, "theirs": theirs, "ours": ours}
                issues.append(FileIssue(CALENDAR_FILE, spec.line, column, message))
    return circuits


def _drivers_to_update(drivers: dict[str, Driver], spec: ChampionshipSpec | None) -> set[str]:
    if not drivers or spec is None or spec.year is None:  # the year is reported as missing
        return set()
    later = set(
        Entry.objects.filter(driver__in=drivers.values(), championship__year__gt=spec.year)
        .exclude(championship__slug=spec.slug)  # an entry being replaced says nothing
        .values_list("driver_id", flat=True)
    )
    return {key for key, driver in drivers.items() if driver.pk not in later}


def _teams(season: SeasonSpec, issues: list[FileIssue]) -> dict[str, Team]:
    lines = {entry.team: entry.line for entry in reversed(season.entries)}  # first line
    teams = Team.objects.in_bulk(list(lines), field_name="name")
    new = {slugify(name): name for name in lines if name not in teams}
    for team in Team.objects.filter(slug__in=list(new)):
        name = new[team.slug]
        message = gettext("%(name)r is too like the team %(team)r; write it the same way") % {
            "name": name,
            "team": team.name,
        }
        issues.append(FileIssue(ENTRIES_FILE, lines[name], "team", message))
    return teams
