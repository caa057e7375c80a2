"""A season's status (draft, published, archived) and the featured season, set by the one
pair of services the back office and the API share."""

import pytest
from django.core.exceptions import ValidationError

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
