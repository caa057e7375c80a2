"""core.imports: the plumbing every file import shares."""

import io

from django.core.management.base import OutputWrapper

from core.imports import FileError, FileIssue
from core.imports.commands import refused


def test_a_refused_import_writes_each_problem_and_counts_them_in_the_command_error():
    stderr = io.StringIO()
    issues = [FileIssue("a.csv", 2, "NO", "expected 1 to 999"), FileIssue("a.csv", 3, None, "x")]

    one = refused(FileError(issues[:1]), OutputWrapper(io.StringIO()), outcome="nothing written")
    two = refused(FileError(issues), OutputWrapper(stderr), outcome="nothing imported")

    assert str(one) == "1 problem; nothing written."
    assert str(two) == "2 problems; nothing imported."
    assert stderr.getvalue() == "a.csv, line 2, column NO: expected 1 to 999\na.csv, line 3: x\n"
