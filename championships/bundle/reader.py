"""The files of a bundle, from a folder, a .zip file or an uploaded .zip, read safely.

An archive may hold the bundle at its top level or under one top-level folder. Absolute
paths, '..', symbolic links and names that are not part of the format are refused, and so is
an archive that would unpack to more than ``settings.SEASON_BUNDLE_MAX_BYTES``.
"""

from __future__ import annotations

import io
import re
import stat
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.utils.translation import gettext

from core.imports import FileError, FileIssue

TOML_FILE = "championship.toml"
CALENDAR_FILE = "calendar.csv"
ENTRIES_FILE = "entries.csv"
PENALTIES_FILE = "penalties.csv"
CLASS_CHANGES_FILE = "class-changes.csv"
TOP_FILES = (TOML_FILE, CALENDAR_FILE, ENTRIES_FILE, PENALTIES_FILE, CLASS_CHANGES_FILE)
RESULTS_DIR = "results"
EXPECTED = ", ".join((*TOP_FILES, f"{RESULTS_DIR}/R<round>-<race>.csv"))

_RESULTS_FILE = re.compile(r"results/[^/\\]+")
# What desktop archivers add on their own; not the user's files, so passed over in silence.
_OS_CLUTTER = re.compile(r"(^|.*/)(__MACOSX/.*|\.DS_Store)")

Files = dict[str, bytes]


def read_bundle(source: Path | str | BinaryIO, issues: list[FileIssue]) -> Files:
    """The bundle's files by their path in the bundle (``results/R1-1.csv``).

    Problems with single files are added to ``issues``; a source that cannot be read at all
    raises FileError.
    """
    if isinstance(source, str | Path):
        path = Path(source)
        if path.is_dir():
            return _read_folder(path, issues)
        if not path.is_file():
            raise FileError([FileIssue(str(path), None, None, "no such folder or file")])
        with path.open("rb") as stream:
            return _read_zip(stream, path.name, issues)
    return _read_zip(source, getattr(source, "name", None) or "upload", issues)


def uploaded_bundle(content: bytes, name: str) -> BinaryIO:
    """An uploaded .zip held in memory, as ``season_import`` reads it: named as the upload
    was, so that its problems name it too."""
    stream = io.BytesIO(content)
    stream.name = name
    return stream


def max_bytes() -> int:
    return settings.SEASON_BUNDLE_MAX_BYTES


def _too_large(label: str, size: int) -> FileError:
    message = gettext("unpacks to %(size)s bytes; a season bundle may have at most %(max)s") % {
        "size": size,
        "max": max_bytes(),
    }
    return FileError([FileIssue(label, None, None, message)])


def _read_folder(root: Path, issues: list[FileIssue]) -> Files:
    """The bundle's files in a folder; other files beside them (a README) are not read."""
    paths = {name: root / name for name in TOP_FILES if (root / name).is_file()}
    results = root / RESULTS_DIR
    for path in sorted(results.iterdir()) if results.is_dir() else []:
        name = f"{RESULTS_DIR}/{path.name}"
        if path.is_file():
            paths[name] = path
        else:
            issues.append(FileIssue(name, None, None, "is not a file; expected " + EXPECTED))
    size = sum(path.stat().st_size for path in paths.values())
    if size > max_bytes():
        raise _too_large(root.name, size)
    return {name: path.read_bytes() for name, path in paths.items()}


def _read_zip(stream: BinaryIO, label: str, issues: list[FileIssue]) -> Files:
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileError([FileIssue(label, None, None, "is not a .zip archive")]) from None
    with archive:
        members = [
            m for m in archive.infolist() if not (m.is_dir() or _OS_CLUTTER.match(m.filename))
        ]
        size = sum(member.file_size for member in members)
        if size > max_bytes():
            raise _too_large(label, size)
        prefix = _common_folder([member.filename for member in members])
        return _read_members(archive, members, prefix, issues, label)


def _read_members(
    archive: zipfile.ZipFile,
    members: list[zipfile.ZipInfo],
    prefix: str,
    issues: list[FileIssue],
    label: str,
) -> Files:
    files, budget = {}, max_bytes()
    for member in members:
        name = _bundle_name(member, prefix, issues)
        if name is None:
            continue
        data = _read_member(archive, member, budget, issues)
        if data is not None:
            budget -= len(data)
            if budget < 0:  # the sizes in the archive's directory were untrue
                raise _too_large(label, max_bytes() - budget)
            files[name] = data
    return files


def _read_member(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, budget: int, issues: list[FileIssue]
) -> bytes | None:
    try:
        with archive.open(member) as stream:
            return stream.read(budget + 1)
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, OSError) as error:
        message = gettext("cannot be unpacked (%(error)s)") % {"error": error}
        issues.append(FileIssue(member.filename, None, None, message))
        return None


def _bundle_name(member: zipfile.ZipInfo, prefix: str, issues: list[FileIssue]) -> str | None:
    """The member's path in the bundle, or None (with an issue) if it is refused."""
    problem = _path_problem(member)
    name = member.filename.removeprefix(prefix)
    if problem is None and name not in TOP_FILES and not _RESULTS_FILE.fullmatch(name):
        problem = gettext("is not part of a season bundle; expected %(files)s") % {
            "files": EXPECTED
        }
    if problem:
        issues.append(FileIssue(member.filename, None, None, problem))
        return None
    return name


def _path_problem(member: zipfile.ZipInfo) -> str | None:
    name = member.filename
    if name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name):
        return "is an absolute path; expected paths inside the bundle"
    if ".." in re.split(r"[/\\]", name):
        return "goes up out of the bundle ('..'); expected paths inside the bundle"
    if _is_symlink(member):
        return "is a symbolic link; expected plain files"
    return None


def _is_symlink(member: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(member.external_attr >> 16)


def _common_folder(names: list[str]) -> str:
    """``folder/`` if every file is under one top-level folder and none at the top."""
    if TOML_FILE in names:
        return ""
    tops = {name.split("/", 1)[0] for name in names}
    top = tops.pop() if len(tops) == 1 and all("/" in name for name in names) else ""
    return f"{top}/" if top not in {"", "..", RESULTS_DIR} else ""
