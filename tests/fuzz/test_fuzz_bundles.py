"""Hypothesis-made bad season bundles: the import answers a BundleError (or succeeds, when the
change happened to be harmless), never anything else, and writes nothing when it refuses.

Each bundle is the demo season with one to three damages: a cell replaced by a tricky value, a
line dropped or replaced, a file cut short, emptied, turned into bytes that are not UTF-8, or
left out. Bounded and derandomized, so the suite stays fast and every run sees the same cases.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from django.contrib.auth import get_user_model
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token

from championships.bundle import BundleError, season_import
from tests.factories import EXAMPLE_BUNDLE_FILES, row_counts

NAMES = sorted(EXAMPLE_BUNDLE_FILES)
TRICKY = [
    "",
    "0",
    "-1",
    "1e309",
    "NaN",
    "999999999999999999999",
    "2024-02-30",
    "2024-13-01T25:61",
    "Mars/Olympus_Mons",
    "DNF",
    '"',
    ",",
    "\x00",
    "🏁",
    "x" * 5000,
    "=1+1",
]
FUZZ = settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def lines_of(files: dict[str, bytes], name: str) -> list[str]:
    return files[name].decode("utf-8", "replace").splitlines()


@st.composite
def damage(draw, files: dict[str, bytes]) -> None:
    """One damage to one file, in place."""
    name = draw(st.sampled_from(sorted(files)))
    kind = draw(st.sampled_from(["cell", "line", "drop_line", "cut", "empty", "bytes", "remove"]))
    lines = lines_of(files, name)
    row = draw(st.integers(0, max(len(lines) - 1, 0)))
    if kind == "cell" and lines:
        cells = lines[row].split(",")
        cells[draw(st.integers(0, len(cells) - 1))] = draw(st.sampled_from(TRICKY) | st.text())
        lines[row] = ",".join(cells)
    elif kind == "line" and lines:
        lines[row] = draw(st.text(max_size=80))
    elif kind == "drop_line" and lines:
        del lines[row]
    elif kind == "cut":
        files[name] = files[name][: draw(st.integers(0, len(files[name])))]
        return
    elif kind == "bytes":
        files[name] = draw(st.binary(min_size=1, max_size=200)) + b"\xff\xfe"
        return
    elif kind == "empty":
        files[name] = b""
        return
    elif kind == "remove":
        del files[name]
        return
    files[name] = ("\n".join(lines) + "\n").encode()


@st.composite
def bad_bundles(draw) -> bytes:
    files = dict(EXAMPLE_BUNDLE_FILES)
    for _ in range(draw(st.integers(1, 3))):
        if files:
            draw(damage(files))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(f"season/{name}", content)
    return buffer.getvalue()


@pytest.mark.django_db
@FUZZ
@given(bundle=bad_bundles(), replace=st.booleans())
def test_a_damaged_bundle_is_refused_with_its_errors_or_imported_never_a_crash(bundle, replace):
    before = row_counts()
    try:
        season_import(io.BytesIO(bundle), replace=replace)
    except BundleError as error:
        assert error.issues
        assert row_counts() == before, "a refused bundle wrote something"


@pytest.mark.django_db
@settings(FUZZ, max_examples=15)
@given(bundle=bad_bundles() | st.binary(max_size=300))
def test_the_api_answers_a_damaged_bundle_with_400_or_201_never_500(client, bundle):
    # Staff, as every API write needs (issue 14.8), with every permission.
    user, _ = get_user_model().objects.get_or_create(
        username="fuzz", is_superuser=True, is_staff=True
    )
    token, _ = Token.objects.get_or_create(user=user)
    before = row_counts()

    response = client.post(
        "/api/v1/season-bundles/",
        bundle,
        content_type="application/zip",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )

    assert response.status_code in (201, 400), response.content[:500]
    if response.status_code == 400:
        assert row_counts() == before
