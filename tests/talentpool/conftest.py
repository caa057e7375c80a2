"""Every Talent Pool test stores documents under its own temporary folder and starts with
an empty rate-limit count."""

from pathlib import Path

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path) -> Path:
    root = tmp_path / "private-uploads"
    settings.TALENTPOOL_UPLOAD_ROOT = root
    return root


@pytest.fixture(autouse=True)
def empty_rate_limit():
    cache.clear()
    yield
    cache.clear()
