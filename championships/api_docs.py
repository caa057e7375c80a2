"""OpenAPI descriptions and examples of the championships API's writes.

Kept apart from ``api.py`` so that the views read as views; the shared error answers
(400, 401, 403, 404, 429) are added to every operation by ``core.api.document_errors``.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)

from championships.models import COUNTED_PENALTY_KINDS, PENALTY_SHAPES
from championships.preconditions import ResultsImportQuerySerializer
from championships.serializers import (
    BoardDocumentSerializer,
    BundleQuerySerializer,
    GridSlotSerializer,
    ImportQuerySerializer,
    ImportSummarySerializer,
    LapsDiffSerializer,
    LapSerializer,
    PenaltySerializer,
    ResultsDiffSerializer,
    SessionDiffSerializer,
    SessionImportQuerySerializer,
    SessionVersionSerializer,
)
from core.api import UploadSerializer

FILE_ERRORS = {"$ref": "#/components/schemas/FileErrors"}
UNSUPPORTED = {"$ref": "#/components/schemas/Error"}

RESULTS_CSV = (
    "POS,NO,DRIVER,LAPS,TIME,BEST_LAP,GRID\n"
    "1,55,Kai Berg,15,32:05.120,2:06.801,2\n"
    "2,7,Li Wen,15,32:06.004,2:06.655,1\n"
    "DNF,18,Ana Costa,9,,2:07.310,3\n"
)

REFUSED_RESULTS = OpenApiExample(
    "A refused file",
    value={
        "detail": "The file has 2 problems; nothing was written.",
        "errors": [
            {
                "file": "results/R1-2.csv",
                "line": 3,
                "column": "NO",
                "message": "car 77 is not an entry of pcca-2024",
            },
            {
                "file": "results/R1-2.csv",
                "line": 4,
                "column": "TIME",
                "message": "expected a race time H:MM:SS.sss or MM:SS.sss, not '32:6'",
            },
        ],
    },
    response_only=True,
    status_codes=["400"],
)

RESULTS_DIFF = OpenApiExample(
    "A dry run",
    value={
        "race": 12,
        "dry_run": True,
        "added": [
            {
                "car_number": 18,
                "line": 4,
                "position": None,
                "status": "DNF",
                "laps": 9,
                "total_time": None,
                "best_lap": "2:07.310",
                "grid": 3,
            }
        ],
        "changed": [
            {
                "car_number": 55,
                "line": 2,
                "changes": [{"field": "total_time", "before": "32:05.500", "after": "32:05.120"}],
            }
        ],
        "removed": [],
        "unchanged": 1,
        "warnings": [],
    },
    response_only=True,
    status_codes=["200"],
)

RESULTS_IMPORT = {
    "summary": "Import a race's results from a results CSV",
    "description": (
        "The body is the race's results file of a season bundle (SEASON_FORMAT.md, "
        "`results/R<round>-<race>.csv`: POS, NO, LAPS, TIME, BEST_LAP, GRID; other columns "
        "are ignored; `,` or `;`), sent as `text/csv` or as the form field `file`. Car numbers "
        "are the entries of the race's championship.\n\n"
        "The file replaces the race's results in one transaction and the answer lists what "
        "changed. With `dry_run=1` nothing is written. A file with any problem writes nothing "
        "and the 400 lists every problem with its line and column.\n\n"
        "Needs the permissions to add, change and delete results.\n\n"
        "No lost update: send the classification version you read, as `If-Match` (the ETag "
        'of `GET /api/v1/races/<id>/versions/`, e.g. `"race-12-v3"`) or `expected_version` '
        "(the race's `classification_version`). If someone changed the classification since, "
        "nothing is written and the answer is 412 naming who changed it, when and to which "
        "version. An import that replaces results already held must send one of them (428 "
        "without); a dry run and a race's first results need not. The answer's ETag is the "
        "version the import made."
    ),
    "parameters": [
        ResultsImportQuerySerializer,
        OpenApiParameter(
            "If-Match",
            OpenApiTypes.STR,
            OpenApiParameter.HEADER,
            description='The ETag of the race\'s versions as read, e.g. "race-12-v3".',
        ),
    ],
    "request": {"text/csv": OpenApiTypes.STR, "multipart/form-data": UploadSerializer},
    "responses": {
        200: ResultsDiffSerializer,
        400: FILE_ERRORS,
        412: OpenApiResponse(description="The classification changed since it was read."),
        415: UNSUPPORTED,
        428: OpenApiResponse(description="Replacing results needs If-Match or expected_version."),
    },
    "examples": [
        OpenApiExample(
            "A results CSV", value=RESULTS_CSV, request_only=True, media_type="text/csv"
        ),
        RESULTS_DIFF,
        REFUSED_RESULTS,
    ],
}

SEASON_IMPORT = {
    "summary": "Import a season bundle (.zip)",
    "description": (
        "The body is a season bundle as a .zip (SEASON_FORMAT.md), sent as `application/zip` "
        "or as the form field `file`: the same import as the back office. Every file is "
        "checked first; a bundle with any problem writes nothing and the 400 lists every "
        "problem with its file, line and column.\n\n"
        "`dry_run=1` answers what would be imported (200); otherwise the season is written in "
        "one transaction (201). `replace=1` replaces the championship of the same slug.\n\n"
        "Needs the permission to add championships; replacing also needs change and delete."
    ),
    "parameters": [BundleQuerySerializer],
    "request": {"application/zip": OpenApiTypes.BINARY, "multipart/form-data": UploadSerializer},
    "responses": {
        200: ImportSummarySerializer,
        201: ImportSummarySerializer,
        400: FILE_ERRORS,
        415: UNSUPPORTED,
    },
    "examples": [
        OpenApiExample(
            "A refused bundle",
            value={
                "detail": "The file has 1 problem; nothing was written.",
                "errors": [
                    {
                        "file": "entries.csv",
                        "line": 7,
                        "column": "class",
                        "message": "Class AM admits BRONZE, not GOLD.",
                    }
                ],
            },
            response_only=True,
            status_codes=["400"],
        )
    ],
}


def _penalty_kinds() -> str:
    """The kinds the API documents, each with its value and race as the model's rule has them:
    "TIME (seconds, needs the race), DSQ (no value, needs the race) or POINTS (...)"."""
    words = []
    for kind in COUNTED_PENALTY_KINDS:
        shape = PENALTY_SHAPES[kind]
        value = shape.unit or "no value"
        if shape.needs_race:
            words.append(f"{kind} ({value}, needs the race)")
        else:  # counted kinds without a race are deductions from the round's points
            words.append(f"{kind} ({value} deducted in the round; the race may be null)")
    return f"{', '.join(words[:-1])} or {words[-1]}"


PENALTY_EXAMPLE = OpenApiExample(
    "A time penalty",
    value={"race": 12, "entry": 340, "kind": "TIME", "value": 5, "reason": "Track limits"},
    request_only=True,
)

# No lost update: a change or deletion names the state it read.
PENALTY_IF_MATCH = (
    "No lost update: send the penalty's ETag as you read it (`GET /api/v1/penalties/<id>/`, "
    'e.g. `"penalty-7-c42"`; creating a penalty answers it too) as `If-Match`. If someone '
    "changed (or withdrew) the penalty since, nothing is written and the answer is 412 naming "
    "who and when; without `If-Match` (or with `*`) the answer is 428. A change answers "
    "the penalty's new ETag."
)
PENALTY_IF_MATCH_HEADER = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description='The ETag of the penalty as read, e.g. "penalty-7-c42".',
)
PENALTY_PRECONDITIONS = {
    412: OpenApiResponse(
        UNSUPPORTED, description="The penalty changed since it was read; nothing was written."
    ),
    428: OpenApiResponse(UNSUPPORTED, description="Changing or deleting a penalty needs If-Match."),
}

PENALTY_VIEWS = {
    "list": extend_schema(summary="List the penalties"),
    "retrieve": extend_schema(
        summary="One penalty",
        description=(
            'Its `ETag` names the penalty\'s latest change (e.g. `"penalty-7-c42"`): send it '
            "back as `If-Match` to change or delete the penalty."
        ),
    ),
    "create": extend_schema(
        summary="Give a penalty",
        description=(
            f"{_penalty_kinds()}. The entry must be of the round's championship and the race "
            "of the round. Needs the add permission."
        ),
        examples=[PENALTY_EXAMPLE],
    ),
    "update": extend_schema(
        summary="Change a penalty (needs the change permission)",
        description=PENALTY_IF_MATCH,
        parameters=[PENALTY_IF_MATCH_HEADER],
        responses={200: PenaltySerializer, **PENALTY_PRECONDITIONS},
    ),
    "partial_update": extend_schema(
        summary="Change part of a penalty",
        description=PENALTY_IF_MATCH,
        parameters=[PENALTY_IF_MATCH_HEADER],
        responses={200: PenaltySerializer, **PENALTY_PRECONDITIONS},
    ),
    "destroy": extend_schema(
        summary="Withdraw a penalty (needs the delete permission)",
        description=PENALTY_IF_MATCH,
        parameters=[PENALTY_IF_MATCH_HEADER],
        responses={204: None, **PENALTY_PRECONDITIONS},
    ),
}


# GET /api/v1/championships/<slug>/standings/: its contract is fixed; this only describes it.

_NUMBER = {"type": "number", "example": 25}
_RACE_LINE = {
    "type": "object",
    "properties": {
        "race": {"type": "string", "example": "R1-2"},
        "result": {"type": "string", "nullable": True, "example": "P3"},
        "rank": {"type": "integer", "nullable": True},
        "rank_points": _NUMBER,
        "factor": _NUMBER,
        "pole": _NUMBER,
        "fastest_lap": _NUMBER,
        "points": _NUMBER,
        "dropped": {"type": "boolean"},
        "why": {"type": "string", "example": "rank 2: 20 + pole 1 = 21"},
        "penalties": {"type": "array", "items": {"type": "string"}},
    },
}
_DRIVER_ROW = {
    "type": "object",
    "description": "A row of the drivers, a class or the rookies table.",
    "properties": {
        "position": {"type": "integer"},
        "car_number": {"type": "integer"},
        "driver": {"type": "string"},
        "team": {"type": "string"},
        "class": {"type": "string"},
        "points": _NUMBER,
        "races": {"type": "array", "items": _RACE_LINE},
        "dropped": {"type": "array", "items": {"type": "object"}},
        "deductions": {"type": "array", "items": {"type": "object"}},
        "ties": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["position", "car_number", "driver", "team", "points", "races"],
}
_TEAM_ROW = {
    "type": "object",
    "description": "A row of the teams or the dealer trophy table.",
    "properties": {
        "position": {"type": "integer"},
        "team": {"type": "string"},
        "points": _NUMBER,
        "races": {"type": "array", "items": {"type": "object"}},
        "ties": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["position", "team", "points", "races"],
}
STANDINGS_TABLE = {
    "type": "object",
    "properties": {
        "championship": {"type": "string", "example": "pcca-2024"},
        "table": {"type": "string", "enum": ["drivers", "rookies", "teams", "dealers"]},
        "class": {"type": "string", "nullable": True, "example": "PRO_AM"},
        "after_round": {"type": "integer", "nullable": True, "example": 3},
        "rows": {"type": "array", "items": {"anyOf": [_DRIVER_ROW, _TEAM_ROW]}},
    },
    "required": ["championship", "table", "class", "after_round", "rows"],
}

STANDINGS = {
    "summary": "A table of the championship's standings",
    "description": (
        "The drivers table by default; `table` picks rookies, teams or dealers, `class` a "
        "class table (drivers only), `after_round` the table as it stood after that round. "
        "Every row explains its points race by race. Sends ETag and Last-Modified and answers "
        "a conditional GET with 304 while the championship's data is unchanged."
    ),
    "parameters": [
        OpenApiParameter(
            "table",
            str,
            enum=["drivers", "rookies", "teams", "dealers"],
            description="Which table; drivers if left out.",
            examples=[OpenApiExample("Teams", value="teams")],
        ),
        OpenApiParameter(
            "class",
            str,
            description="A class code of the championship, with table=drivers only.",
            examples=[OpenApiExample("Pro-Am", value="PRO_AM")],
        ),
        OpenApiParameter(
            "after_round",
            int,
            description="The table after this round (1 or more); the latest if left out.",
            examples=[OpenApiExample("After round 2", value=2)],
        ),
    ],
    "responses": {200: STANDINGS_TABLE},
    "examples": [
        OpenApiExample(
            "Drivers",
            value={
                "championship": "pcca-2024",
                "table": "drivers",
                "class": None,
                "after_round": None,
                "rows": [
                    {
                        "position": 1,
                        "car_number": 55,
                        "driver": "Kai Berg",
                        "team": "Harbour Racing",
                        "class": "PRO",
                        "points": 159.5,
                        "races": [],
                        "dropped": [],
                        "deductions": [],
                        "ties": [],
                    }
                ],
            },
            response_only=True,
            status_codes=["200"],
        )
    ],
}


MEETING_BOARD = {
    "summary": "A meeting's official notice board: every document, in number order",
    "description": (
        "Each document as published (a published document never changes; a correction is a "
        "new document that `supersedes` the old one, which stays, with `superseded_by` set). "
        "`published_at` is in UTC, `published_at_local` in the circuit's time zone. Each "
        "edition is one PDF in one language, with the SHA-256 of its bytes (also the ETag of "
        "its `url`). `pending`: a document CupManager draws itself whose PDFs are still being "
        "drawn. `cars_concerned` empty: every competitor. A draft season's meetings are for "
        "staff only. The whole board, a bare array (never paged)."
    ),
    "responses": BoardDocumentSerializer(many=True),
}


# Practice and qualifying sessions, and the starting grids ------------------------------------

SESSION_VIEWS = {
    "list": extend_schema(
        summary="List the practice and qualifying sessions",
        description=(
            "Every session of the meetings, in start order; a qualifying split in groups is "
            "one session per group. A draft season's sessions are for staff only."
        ),
    ),
    "retrieve": extend_schema(
        summary="One session with its classification",
        description=(
            "The classification as it stands, ranked by each car's best lap: `gap` is the "
            "time behind the first's best lap, `second_best_lap` what a grid from second-best "
            "qualifying times reads."
        ),
    ),
}

SESSION_VERSIONS = {
    "summary": "The versions of a session's classification, oldest first",
    "description": (
        "Every applied import is a version: who, when, why, and the classification it "
        'published. The ETag names the latest version (e.g. `"session-4-v2"`), for If-Match '
        "on the session's results import. The whole list, a bare array (never paged)."
    ),
    "responses": SessionVersionSerializer(many=True),
}

SESSION_CSV = "".join(
    [
        "POS,NO,LAPS,BEST_LAP,SECOND_BEST\n",
        "1,7,5,1:58.100,1:58.400\n",
        "2,55,6,1:58.200,\n",
        "DNS,18,0,,\n",
    ]
)

SESSION_DIFF = OpenApiExample(
    "An import",
    value={
        "session": 4,
        "dry_run": False,
        "added": 1,
        "changed": 1,
        "removed": 0,
        "unchanged": 1,
        "base_version": 1,
        "version": 2,
        "lines": [
            {
                "position": 1,
                "status": "CLASSIFIED",
                "car_number": 7,
                "laps": 5,
                "best_lap": "1:58.100",
                "second_best_lap": "1:58.400",
            }
        ],
    },
    response_only=True,
    status_codes=["200"],
)

SESSION_RESULTS_IMPORT = {
    "summary": "Import a practice or qualifying classification from a CSV",
    "description": (
        "The body is the session's classification, sent as `text/csv` or as the form field "
        "`file`: the season bundle's columns (POS, NO, LAPS, BEST_LAP, optional SECOND_BEST) "
        "or the timing system's export (POSITION;NUMBER;STATUS;LAPS;FL_TIME, optional "
        "SECOND_BEST); other columns are ignored. Car numbers are the entries of the "
        "session's championship; a classified car has a best lap, never faster than the car "
        "ahead.\n\n"
        "The file replaces the session's classification in one transaction, records it as "
        "the session's next version and posts it on the meeting's notice board; the answer "
        "counts what changed. With `dry_run=1` nothing is written. A file with any problem "
        "writes nothing and the 400 lists every problem with its line and column.\n\n"
        "Needs the permissions to add, change and delete session results.\n\n"
        "No lost update: send the classification version you read, as `If-Match` (the ETag "
        'of `GET /api/v1/sessions/<id>/versions/`, e.g. `"session-4-v1"`) or '
        "`expected_version` (the session's `classification_version`). If someone changed the "
        "classification since, nothing is written and the answer is 412 naming who. An "
        "import that replaces a classification already held must send one of them (428 "
        "without); a dry run and a session's first classification need not. The answer's "
        "ETag is the version the import made."
    ),
    "parameters": [
        SessionImportQuerySerializer,
        OpenApiParameter(
            "If-Match",
            OpenApiTypes.STR,
            OpenApiParameter.HEADER,
            description='The ETag of the session\'s versions as read, e.g. "session-4-v1".',
        ),
    ],
    "request": {"text/csv": OpenApiTypes.STR, "multipart/form-data": UploadSerializer},
    "responses": {
        200: SessionDiffSerializer,
        400: FILE_ERRORS,
        412: OpenApiResponse(description="The classification changed since it was read."),
        415: UNSUPPORTED,
        428: OpenApiResponse(
            description="Replacing a classification needs If-Match or expected_version."
        ),
    },
    "examples": [
        OpenApiExample(
            "A session's CSV", value=SESSION_CSV, request_only=True, media_type="text/csv"
        ),
        SESSION_DIFF,
        OpenApiExample(
            "A refused file",
            value={
                "detail": "The file has 1 problem; nothing was written.",
                "errors": [
                    {
                        "file": "sessions/R1-Q1.csv",
                        "line": 3,
                        "column": "NO",
                        "message": "car 77 is not an entry of pcca-2024",
                    }
                ],
            },
            response_only=True,
            status_codes=["400"],
        ),
    ],
}

RACE_GRID = {
    "summary": "A race's published starting grid, pole first",
    "description": (
        "The grid as last published: each car's `position` after grid penalties and the "
        "place it `qualified` (before them), the lap `time` it was ranked on (null when the "
        "grid comes from a race's finish). An empty array until a grid is published. The "
        "whole grid, a bare array (never paged)."
    ),
    "responses": GridSlotSerializer(many=True),
}


LAPS = {
    "get": {
        "summary": "Every lap of every car, in car and lap order",
        "description": (
            "The laps imported from the timing system's lap export: each car's number, lap "
            "number, lap time and whether the lap ended in the pit lane. An empty array until "
            "laps are imported. The whole list, a bare array (never paged)."
        ),
        "responses": LapSerializer(many=True),
    },
    "post": {
        "summary": "Import the laps from the timing system's lap export",
        "description": (
            "The body is the lap export, sent as `text/csv` or as the form field `file`: at "
            "least NUMBER;LAP_NUMBER;LAP_TIME and, if given, CROSSING_FINISH_LINE_IN_PIT (any "
            "mark: the lap ended in the pit lane); other columns are ignored. Each car's laps "
            "run 1, 2, 3… without a gap; car numbers are the championship's entries.\n\n"
            "The file replaces every lap held, in one transaction; the answer counts each "
            "car's laps and warns of a car whose count differs from its classification. With "
            "`dry_run=1` nothing is written. A file with any problem writes nothing and the "
            "400 lists every problem with its line and column. Needs the permissions to write "
            "the classification (the race's results, or the session's)."
        ),
        "parameters": [ImportQuerySerializer],
        "request": {"text/csv": OpenApiTypes.STR, "multipart/form-data": UploadSerializer},
        "responses": {200: LapsDiffSerializer, 400: FILE_ERRORS, 415: UNSUPPORTED},
    },
}
