"""The season: series, championships and their points schemes, the calendar, results,
stewards' decisions and the versions of each race's classification.

A package of four modules (season, calendar, results, prizes); every name is importable from
``championships.models`` as before, which the migrations rely on.
"""

from championships.models.calendar import (
    Circuit,
    ClassificationState,
    Meeting,
    MeetingQuerySet,
    PointsFactor,
    Race,
    RaceQuerySet,
)
from championships.models.prizes import Prize, PrizeTable
from championships.models.results import (
    COUNTED_PENALTY_KINDS,
    ClassificationVersion,
    Penalty,
    PenaltyKind,
    PenaltyQuerySet,
    Result,
    ResultStatus,
    VersionCause,
    check_entry_in_championship,
)
from championships.models.season import (
    DEFAULT_RACE_POINTS,
    Championship,
    ChampionshipClass,
    ChampionshipQuerySet,
    FiaCategory,
    PositionStyle,
    Series,
    TieBreak,
    aware_from_local,
    class_code_validator,
    country_validator,
    default_race_points,
    slug_validator,
    validate_categories,
    validate_points_list,
    validate_timezone,
)

__all__ = [
    "COUNTED_PENALTY_KINDS",
    "DEFAULT_RACE_POINTS",
    "Championship",
    "ChampionshipClass",
    "ChampionshipQuerySet",
    "ClassificationState",
    "ClassificationVersion",
    "Circuit",
    "FiaCategory",
    "Meeting",
    "MeetingQuerySet",
    "Penalty",
    "PenaltyKind",
    "PenaltyQuerySet",
    "PointsFactor",
    "PositionStyle",
    "Prize",
    "PrizeTable",
    "Race",
    "RaceQuerySet",
    "Result",
    "ResultStatus",
    "Series",
    "TieBreak",
    "VersionCause",
    "aware_from_local",
    "check_entry_in_championship",
    "class_code_validator",
    "country_validator",
    "default_race_points",
    "slug_validator",
    "validate_categories",
    "validate_points_list",
    "validate_timezone",
]
