"""The tables of a season, composed from the rules, each row carrying its explanation.

``SeasonTables`` computes each race's final classification and each table's race scores
once, and reuses them for every table and every ``after_round`` asked of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TypeVar

from championships.standings import rules
from championships.standings.data import (
    DEALERS,
    DISQUALIFICATION,
    DRIVERS,
    POINTS,
    ROOKIES,
    TEAMS,
    TIME,
    Entry,
    Penalty,
    Race,
    Result,
    Season,
    class_table_key,
)
from championships.standings.order import Place, Standing, place
from championships.standings.rules import RaceScore
from championships.standings.ties import Tie
from core.numbers import plain


@dataclass(frozen=True)
class RaceLine:
    """One race of a driver row: the score, whether it was dropped, and stewards' notes."""

    score: RaceScore
    dropped: bool
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class DriverRow:
    position: int
    entry: Entry
    points: Decimal
    races: tuple[RaceLine, ...]
    deductions: tuple[Penalty, ...]
    ties: tuple[Tie, ...] = ()
    # Rule 7: the class shown, the table's own or the one held at the last race in scope.
    class_code: str = ""

    @property
    def dropped(self) -> tuple[RaceLine, ...]:
        return tuple(line for line in self.races if line.dropped)


@dataclass(frozen=True)
class ScoringCar:
    entry: Entry
    score: RaceScore


@dataclass(frozen=True)
class TeamRace:
    """One race of a team row: the cars whose scores count (rule 5.1)."""

    race: Race
    cars: tuple[ScoringCar, ...]

    @property
    def points(self) -> Decimal:
        return sum((car.score.points for car in self.cars), rules.ZERO)


@dataclass(frozen=True)
class TeamRow:
    position: int
    team: str
    points: Decimal
    races: tuple[TeamRace, ...]
    ties: tuple[Tie, ...] = ()


@dataclass(frozen=True)
class BestOf:
    """Rule 3.2 for a driver table: each row counts its best ``kept`` of ``scoring`` races."""

    kept: int
    scoring: int


@dataclass(frozen=True)
class Table:
    table: str
    class_code: str | None
    after_round: int | None
    rows: tuple[DriverRow, ...] | tuple[TeamRow, ...]
    best_of: BestOf | None = None  # None: every score counts (teams, or no dropped results)


@dataclass(frozen=True)
class _Group:
    """The entries one driver table ranks, and the scheme they score by."""

    key: str
    members: frozenset[int]  # a class table's: every entry of the class on some race day
    class_code: str | None = None


class SeasonTables:
    """Every table of one season, for any ``after_round``."""

    def __init__(self, season: Season) -> None:
        self.season = season
        self.settings = season.settings
        self.entries = {entry.id: entry for entry in season.entries}
        self._classifications: dict[int, tuple[Result, ...]] = {}
        self._scores: dict[tuple[str, int], dict[int, RaceScore]] = {}
        self._team_races: dict[tuple[bool, str, int], TeamRace] = {}
        self._notes = race_notes(season.penalties)
        self.best_of = best_of(season)
        self._moving = any(entry.class_moves for entry in season.entries)  # rule 7
        self.drivers = self._driver_group(None, rookies=False)

    def table(
        self, table: str = DRIVERS, class_code: str | None = None, after_round: int | None = None
    ) -> Table:
        """The table asked for; ``class_code`` picks a class table instead of drivers."""
        if table in (TEAMS, DEALERS):
            rows = self.team_rows(dealers=table == DEALERS, after_round=after_round)
            return Table(table, class_code, after_round, rows)
        rookies = table == ROOKIES
        rows = self.driver_rows(class_code=class_code, rookies=rookies, after_round=after_round)
        return Table(table, class_code, after_round, rows, self.best_of)

    # One race -------------------------------------------------------------------------------

    def classification(self, race: Race) -> tuple[Result, ...]:
        """Rule 1, computed once per race and shared by every table."""
        if race.id not in self._classifications:
            final = rules.final_classification(race, self.season.penalties)
            self._classifications[race.id] = final
        return self._classifications[race.id]

    def scores(self, race: Race, group: _Group) -> dict[int, RaceScore]:
        """Rule 2 for one race and one table, computed once per season."""
        if (group.key, race.id) not in self._scores:
            scheme = self.season.schemes[group.key]
            members = self._members_on(race, group)
            scores = rules.race_scores(race, self.classification(race), members, scheme)
            self._scores[(group.key, race.id)] = scores
        return self._scores[(group.key, race.id)]

    def notes(self, race: Race, entry_id: int) -> tuple[str, ...]:
        """The stewards' decisions that changed this entry's result in this race."""
        return self._notes.get((race.id, entry_id), ())

    # Drivers, classes, rookies ---------------------------------------------------------------

    def driver_rows(
        self,
        *,
        class_code: str | None = None,
        rookies: bool = False,
        after_round: int | None = None,
    ) -> tuple[DriverRow, ...]:
        """Rules 3 and 4 for the drivers table, a class table or the rookies table."""
        group = self._driver_group(class_code, rookies)
        races = rules.races_in_scope(self.season.races, after_round)
        by_race = [self.scores(race, group) for race in races]
        last_day = races[-1].day if races else None
        rows = []
        for entry in self.season.entries:
            if entry.id in group.members:
                scores = self._in_class(entry, every_race_score(entry.id, races, by_race), group)
                if rules.has_row(scores):
                    shown = group.class_code or rules.class_on(entry, last_day)
                    rows.append(self._driver_row(entry, scores, after_round, shown))
        return self._placed_drivers(rows, depth=deepest_rank(by_race), races=races)

    def _driver_group(self, class_code: str | None, rookies: bool) -> _Group:
        key = class_table_key(class_code) if class_code else (ROOKIES if rookies else DRIVERS)
        if class_code is not None and self._moving:
            return _Group(key, rules.ever_in_class(self.season.entries, class_code), class_code)
        members = rules.group_of(self.season.entries, class_code=class_code, rookies=rookies)
        return _Group(key, members, class_code)

    def _members_on(self, race: Race, group: _Group) -> frozenset[int]:
        """Rule 7: a class table's group for one race is the class's entries on its day."""
        if group.class_code is None or not self._moving:
            return group.members
        entries = self.season.entries
        return rules.group_of(entries, class_code=group.class_code, rookies=False, day=race.day)

    @staticmethod
    def _in_class(entry: Entry, scores: list[RaceScore], group: _Group) -> list[RaceScore]:
        """Rule 7: a class table's row lists only the races the entry ran in that class."""
        if group.class_code is None or not entry.class_moves:
            return scores
        code = group.class_code
        return [s for s in scores if rules.class_on(entry, s.race.day) == code]

    def _driver_row(
        self, entry: Entry, scores: list[RaceScore], after_round: int | None, class_code: str
    ) -> DriverRow:
        kept = self.best_of.kept if self.best_of else None
        dropped = rules.dropped_races(
            scores, kept, drop_disqualified=self.settings.drop_disqualified
        )
        deductions = rules.deductions_of(self.season.penalties, entry.id, after_round)
        lines = tuple(
            RaceLine(s, s.race.id in dropped, self.notes(s.race, entry.id)) for s in scores
        )
        total = rules.driver_total(scores, dropped, deductions)
        return DriverRow(0, entry, total, lines, deductions, class_code=class_code)

    def _placed_drivers(
        self, rows: list[DriverRow], depth: int, races: Sequence[Race]
    ) -> tuple[DriverRow, ...]:
        standings = [self._driver_standing(row, depth, races) for row in rows]
        recent_labels = [race.label for race in reversed(races)]
        places = place(standings, self.settings.positions, recent_labels)
        return tuple(positioned(rows[p.index], p) for p in places)

    def _driver_standing(self, row: DriverRow, depth: int, races: Sequence[Race]) -> Standing:
        ranks = [line.score.rank for line in row.races]
        if len(ranks) != len(races):  # rule 7: a row of a class it held for some races only
            by_race = {line.score.race.id: line.score.rank for line in row.races}
            ranks = [by_race.get(race.id) for race in races]
        return Standing(
            total=row.points,
            countback=rules.countback_key(ranks, depth),
            recent=rules.recent_race_key(ranks),
            listed_by=row.entry.car_number,
            label=f"#{row.entry.car_number}",
            tie_break=self.settings.tie_break,
        )

    # Teams and dealers ----------------------------------------------------------------------

    def team_rows(
        self, *, dealers: bool = False, after_round: int | None = None
    ) -> tuple[TeamRow, ...]:
        """Rule 5 for the teams table or the dealer trophy table."""
        races = rules.races_in_scope(self.season.races, after_round)
        rows = []
        for team, members in rules.team_members(self.season.entries, dealers=dealers).items():
            team_races = tuple(self.team_race(race, team, members, dealers) for race in races)
            if any(race.cars for race in team_races):
                points = sum((race.points for race in team_races), rules.ZERO)
                rows.append(TeamRow(0, team, points, team_races))
        depth = deepest_rank([self.scores(race, self.drivers) for race in races])
        return self._placed_teams(rows, depth)

    def team_race(self, race: Race, team: str, members: Sequence[Entry], dealers: bool) -> TeamRace:
        """Rule 5.1 for one team in one race, computed once per season."""
        key = (dealers, team, race.id)
        if key not in self._team_races:
            scores = self.scores(race, self.drivers)
            # Members with a result are the team's cars in this race (rule 5.5 counts them).
            present = [scores[member.id] for member in members if member.id in scores]
            best = rules.scoring_cars(present, self._cars_per_race(dealers))
            cars = tuple(ScoringCar(self.entries[s.entry_id], s) for s in best)
            self._team_races[key] = TeamRace(race, cars)
        return self._team_races[key]

    def _cars_per_race(self, dealers: bool) -> int:
        settings = self.settings
        return settings.dealer_cars_per_race if dealers else settings.team_cars_per_race

    def _placed_teams(self, rows: list[TeamRow], depth: int) -> tuple[TeamRow, ...]:
        standings = [self._team_standing(row, depth) for row in rows]
        places = place(standings, self.settings.positions, recent_labels=())
        return tuple(positioned(rows[p.index], p) for p in places)

    def _team_standing(self, row: TeamRow, depth: int) -> Standing:
        ranks = [car.score.rank for race in row.races for car in race.cars]
        # Rule 5.4 has no most-recent-race step: equal countback shares the position.
        return Standing(
            total=row.points,
            countback=rules.countback_key(ranks, depth),
            recent=(),
            listed_by=row.team,
            label=row.team,
            tie_break=self.settings.tie_break,
        )


Row = TypeVar("Row", DriverRow, TeamRow)


def best_of(season: Season) -> BestOf | None:
    """Rule 3.2: S − N of S scoring races count, or None when no result is ever dropped."""
    scoring = season.scoring_races
    if scoring is None:
        scoring = rules.scoring_races(season.races)
    kept = rules.results_kept(season.settings.dropped_results, scoring)
    return None if kept is None else BestOf(kept, scoring)


def positioned(row: Row, place: Place) -> Row:
    return replace(row, position=place.position, ties=place.ties)


def every_race_score(
    entry_id: int, races: Sequence[Race], by_race: Sequence[dict[int, RaceScore]]
) -> list[RaceScore]:
    """Rule 3.1: the entry's score in every race in scope, 0 where it has no result."""
    return [
        scores.get(entry_id) or RaceScore(race, entry_id, None)
        for race, scores in zip(races, by_race, strict=True)
    ]


def deepest_rank(by_race: Sequence[dict[int, RaceScore]]) -> int:
    return max((s.rank or 0 for scores in by_race for s in scores.values()), default=0)


def race_notes(penalties: Sequence[Penalty]) -> dict[tuple[int, int], tuple[str, ...]]:
    """Time penalties and disqualifications as notes by (race id, entry id)."""
    notes: dict[tuple[int, int], tuple[str, ...]] = {}
    for penalty in penalties:
        if penalty.race_id is not None and penalty.kind != POINTS:
            key = (penalty.race_id, penalty.entry_id)
            notes[key] = (*notes.get(key, ()), penalty_note(penalty))
    return notes


def penalty_note(penalty: Penalty) -> str:
    if penalty.kind == TIME:
        seconds = plain(penalty.value) if penalty.value is not None else "0"
        return f"{seconds} s time penalty: {penalty.reason}"
    if penalty.kind == DISQUALIFICATION:
        return f"disqualified: {penalty.reason}"
    return penalty.reason
