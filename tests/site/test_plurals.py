"""Counted messages say "1 flag" and "2 flags" (issue 14.22b): ngettext, never "flag(s)" or
"entry or entries", in any message the code or a template can show."""

import re
import tokenize
from pathlib import Path

from django.utils import translation

from core.api import file_errors
from entries.fia_categories import RevisionSummary
from tests.factories import PROJECT_DIR

APPS = ("cupmanager", "championships", "entries", "talentpool", "staff")
# "result(s)", "match(es)", "entr(y/ies)", "entry or entries".
HEDGED_PLURAL = re.compile(r"\w\((?:s|es)\)|\w\(y/ies\)|\bentry or entries\b")


def string_literals(path: Path) -> list[str]:
    with path.open("rb") as source:
        tokens = tokenize.tokenize(source.readline)
        return [t.string for t in tokens if t.type == tokenize.STRING]  # f-strings too (3.11)


def test_no_message_hedges_its_plural():
    hedged = [
        (str(path.relative_to(PROJECT_DIR)), text)
        for app in APPS
        for path in (PROJECT_DIR / app).rglob("*.py")
        if "migrations" not in path.parts
        for text in string_literals(path)
        if HEDGED_PLURAL.search(text)
    ]
    hedged += [
        (str(path.relative_to(PROJECT_DIR)), match.group())
        for path in (PROJECT_DIR / "templates").rglob("*.html")
        for match in HEDGED_PLURAL.finditer(path.read_text(encoding="utf-8"))
    ]

    assert hedged == []


class Issue:
    file, line, column, message = "results/R1-1.csv", 2, "POS", "expected a number"


def test_a_refused_file_counts_its_problems_in_words():
    one = file_errors([Issue()])["detail"]
    two = file_errors([Issue(), Issue()])["detail"]

    assert one == "The file has 1 problem; nothing was written."
    assert two == "The file has 2 problems; nothing was written."


def test_a_category_revision_summary_counts_in_words():
    with translation.override("en"):
        text = str(RevisionSummary(changes=[], unchanged=[3]))

    assert text == "0 classifications: 0 up, 0 down; 0 entries flagged; 1 line recorded already"


def test_the_scanner_finds_a_hedged_plural(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('_("%(count)s flag(s) resolved.")\n# a comment about result(s)\n')

    assert string_literals(sample) == ['"%(count)s flag(s) resolved."']
    assert HEDGED_PLURAL.search(string_literals(sample)[0])
