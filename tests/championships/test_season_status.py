"""A season's status (draft, published, archived) and the featured season, set by the one
pair of services the back office and the API share."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from championships.models import Championship, SeasonStatus
from championships.services import season_feature, season_status_set
from tests import factories

pytestmark = pytest.mark.django_db


def test_featuring_a_season_unfeatures_the_one_before():
    before = factories.make_championship("cup-2024", featured=True)
    sprint = factories.make_championship("sprint-2024")

    season_feature(championship_id=sprint.pk)

    before.refresh_from_db()
    assert not before.featured
    assert Championship.objects.current() == Championship.objects.get(pk=sprint.pk)


def test_a_draft_cannot_be_featured():
    draft = factories.make_championship("cup-2025", status=SeasonStatus.DRAFT)

    with pytest.raises(ValidationError, match="only a published season can be featured"):
        season_feature(championship_id=draft.pk)
    assert not Championship.objects.filter(featured=True).exists()


def test_taking_a_season_off_the_site_unfeatures_it_and_moves_its_version():
    cup = factories.make_championship("cup-2024", featured=True)
    cup.refresh_from_db()

    changed = season_status_set(championship_id=cup.pk, status=SeasonStatus.DRAFT)

    assert changed.status == SeasonStatus.DRAFT
    assert not changed.featured
    assert changed.tables_changed_at > cup.tables_changed_at
    assert Championship.objects.current() is None


def test_an_unknown_status_is_refused_and_nothing_changes():
    cup = factories.make_championship("cup-2024")

    with pytest.raises(ValidationError, match="hidden is not a season status"):
        season_status_set(championship_id=cup.pk, status="hidden")
    cup.refresh_from_db()
    assert cup.status == SeasonStatus.PUBLISHED


@pytest.mark.django_db(transaction=True)
def test_the_migration_features_the_season_shown_before_and_archives_earlier_ones():
    before = [("championships", "0011_bounded_points")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Series, Season = (old.get_model("championships", name) for name in ("Series", "Championship"))
    cup = Series.objects.create(name="Cup", slug="cup")
    sprint = Series.objects.create(name="Sprint", slug="sprint")
    for series, slug, name, year in [
        (cup, "cup-2023", "Cup 2023", 2023),
        (cup, "cup-2024", "Cup 2024", 2024),
        (sprint, "sprint-2024", "A Sprint 2024", 2024),
    ]:
        Season.objects.create(series=series, slug=slug, name=name, year=year)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    seasons = {c.slug: (c.status, c.featured) for c in Championship.objects.all()}
    assert seasons == {
        "cup-2023": (SeasonStatus.ARCHIVED, False),
        "cup-2024": (SeasonStatus.PUBLISHED, False),
        "sprint-2024": (SeasonStatus.PUBLISHED, True),  # the name's order picked it until now
    }
