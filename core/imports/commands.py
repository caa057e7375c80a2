"""How a management command reports a refused import."""

from __future__ import annotations

from django.core.management.base import CommandError, OutputWrapper

from core.imports.errors import FileError


def refused(error: FileError, stderr: OutputWrapper, *, outcome: str) -> CommandError:
    """Write each problem on a line of ``stderr``; the CommandError that counts them."""
    for issue in error.issues:
        stderr.write(str(issue))
    count = len(error.issues)
    return CommandError(f"{count} problem{'s' if count != 1 else ''}; {outcome}.")
