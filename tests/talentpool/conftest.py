"""Every Talent Pool test stores documents under its own temporary folder (and, as every test
does, starts with an empty cache, so with no rate-limit count)."""

import pytest


@pytest.fixture(autouse=True)
def _own_upload_root(upload_root) -> None:
    """The shared upload_root fixture (tests/conftest.py), for every test of this folder."""
