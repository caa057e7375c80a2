"""Every Talent Pool test stores documents under its own temporary folder (and, as every test
does, starts with an empty cache, so with no rate-limit count)."""

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path) -> Path:
    root = tmp_path / "private-uploads"
    settings.TALENTPOOL_UPLOAD_ROOT = root
    return root
