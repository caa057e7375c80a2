"""Fixtures of the championship tests."""

import shutil
from pathlib import Path

import pytest

from tests import factories


@pytest.fixture
def bundle(db, tmp_path: Path, example_season_path: Path) -> Path:
    """A copy of the example bundle to change."""
    return Path(shutil.copytree(example_season_path, tmp_path / "bundle"))


@pytest.fixture
def race(championship):
    """A race at the first meeting of the championship fixture (tests/conftest.py)."""
    return factories.make_race(factories.make_meeting(championship))
