"""What fans read in English and Simplified Chinese (django-modeltranslation): each text reads
the active language's value, else the English one; the bundle, the back office and the audit
trail keep both."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from championships.bundle import season_import
from championships.bundle.export import bundle_files
from championships.models import Championship, Circuit, Meeting, Penalty, Prize, Series
from championships.services import penalty_save
from championships.standings.cache import cached_season
from tests.factories import (
    form_fields,
    make_championship,
    make_circuit,
    make_entry,
    make_meeting,
    make_race,
    make_series,
)

pytestmark = pytest.mark.django_db

CHINESE = "zh-hans"


def in_language(language: str, read):
    with translation.override(language):
        return read()


# Reading ------------------------------------------------------------------------------------


def test_each_text_reads_the_active_language_and_english_when_chinese_is_missing():
    series = make_series("Porsche Sprint Challenge China")
    series.name_zh_hans = "保时捷中国冲刺挑战赛"
    series.save()
    circuit = make_circuit("Zhuzhou International Circuit")  # no Chinese name
    series = Series.objects.get(pk=series.pk)
    circuit = Circuit.objects.get(pk=circuit.pk)

    assert in_language("en", lambda: series.name) == "Porsche Sprint Challenge China"
    assert in_language(CHINESE, lambda: series.name) == "保时捷中国冲刺挑战赛"
    assert in_language(CHINESE, lambda: circuit.name) == "Zhuzhou International Circuit"
    assert in_language(CHINESE, lambda: str(circuit)) == "Zhuzhou International Circuit"


def test_every_text_fans_read_has_an_english_and_a_chinese_column():
    translated = {
        Series: ["name"],
        Championship: ["name"],
        Circuit: ["name"],
        Meeting: ["supporting_event"],
        Prize: ["award", "description"],
        Penalty: ["reason"],
    }
    for model, names in translated.items():
        columns = {f.name for f in model._meta.get_fields()}
        for name in names:
            assert {f"{name}_en", f"{name}_zh_hans"} <= columns, (model, name)
    # The stewards' own record of a withdrawal is not published: one language.
    assert "withdrawn_reason_zh_hans" not in {f.name for f in Penalty._meta.get_fields()}


def test_the_current_championship_read_by_raw_sql_reads_its_name_in_each_language():
    championship = make_championship("pcca-2024", name="Porsche Carrera Cup Asia 2024")
    Championship.objects.filter(pk=championship.pk).update(
        name_zh_hans="2024 保时捷卡雷拉杯亚洲赛", featured=True
    )

    for slug in (None, "pcca-2024"):
        english = in_language("en", lambda s=slug: Championship.objects.current(s).name)
        chinese = in_language(CHINESE, lambda s=slug: Championship.objects.current(s).name)
        assert english == "Porsche Carrera Cup Asia 2024"
        assert chinese == "2024 保时捷卡雷拉杯亚洲赛"


def test_the_current_championship_without_a_chinese_name_reads_the_english_one_in_chinese():
    make_championship("pcca-2024", name="Porsche Carrera Cup Asia 2024", featured=True)

    current = in_language(CHINESE, lambda: Championship.objects.current())

    assert current.name == "Porsche Carrera Cup Asia 2024"


def test_lists_ordered_by_name_cost_one_query_in_either_language(django_assert_num_queries):
    for name in ("Sepang", "Buriram", "Shanghai"):
        make_circuit(name)

    for language in ("en", CHINESE):
        with translation.override(language), django_assert_num_queries(1):
            names = [c.name for c in Circuit.objects.all()]
        assert sorted(names) == ["Buriram", "Sepang", "Shanghai"]


# Writing ------------------------------------------------------------------------------------


def test_a_name_written_in_the_chinese_back_office_fills_the_english_text_too():
    with translation.override(CHINESE):
        circuit = Circuit.objects.create(
            name="Chengdu Tianfu", country="CN", timezone="Asia/Shanghai"
        )

    circuit = Circuit.objects.get(pk=circuit.pk)
    assert circuit.name_en == "Chengdu Tianfu"
    assert in_language("en", lambda: circuit.name) == "Chengdu Tianfu"


def test_a_circuit_name_is_unique_in_each_language_and_untranslated_ones_never_clash():
    make_circuit("Sepang International Circuit")
    make_circuit("Shanghai International Circuit")  # both without a Chinese name: NULLs
    assert Circuit.objects.filter(name_zh_hans__isnull=True).count() == 2
    Circuit.objects.filter(name_en="Sepang International Circuit").update(name_zh_hans="雪邦")

    with pytest.raises(IntegrityError), transaction.atomic():
        Circuit.objects.filter(name_en="Shanghai International Circuit").update(name_zh_hans="雪邦")
    with pytest.raises(IntegrityError), transaction.atomic():
        Circuit.objects.create(
            name_en="Sepang International Circuit", country="MY", timezone="Asia/Kuala_Lumpur"
        )


def test_a_series_name_is_unique_in_english_whatever_its_chinese_name():
    make_series("Porsche Sprint Trophy Asia")

    with pytest.raises(IntegrityError), transaction.atomic():
        Series.objects.create(
            name_en="Porsche Sprint Trophy Asia", name_zh_hans="亚洲冲刺", slug="other"
        )


# The audit trail ----------------------------------------------------------------------------


def test_a_championship_saved_in_chinese_keeps_both_names_in_its_history():
    championship = make_championship("pcca-2024", name="Porsche Carrera Cup Asia 2024")

    with translation.override(CHINESE):
        championship.name_zh_hans = "2024 保时捷卡雷拉杯亚洲赛"
        championship.save()

    record = championship.history.latest()
    assert (record.name_en, record.name_zh_hans) == (
        "Porsche Carrera Cup Asia 2024",
        "2024 保时捷卡雷拉杯亚洲赛",
    )
    assert record.instance.name_zh_hans == "2024 保时捷卡雷拉杯亚洲赛"


def test_the_back_office_edits_both_names_of_a_championship_and_its_history_keeps_them(
    staff_client,
):
    championship = make_championship("pcca-2024", name="Porsche Carrera Cup Asia 2024")
    url = reverse("admin:championships_championship_change", args=[championship.pk])
    data = form_fields(staff_client, url, "name_en")
    assert data["name_en"] == ["Porsche Carrera Cup Asia 2024"]
    assert data["name_zh_hans"] == [""]
    assert "name" not in data

    data["name_zh_hans"] = ["2024 保时捷卡雷拉杯亚洲赛"]
    response = staff_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    championship.refresh_from_db()
    assert (championship.name_en, championship.name_zh_hans) == (
        "Porsche Carrera Cup Asia 2024",
        "2024 保时捷卡雷拉杯亚洲赛",
    )
    assert championship.history.latest().name_zh_hans == "2024 保时捷卡雷拉杯亚洲赛"


def test_the_back_office_refuses_a_championship_without_its_english_name(staff_client):
    championship = make_championship("pcca-2024", name="Porsche Carrera Cup Asia 2024")
    url = reverse("admin:championships_championship_change", args=[championship.pk])
    data = form_fields(staff_client, url, "name_en")
    data["name_en"], data["name_zh_hans"] = [""], ["2024 保时捷卡雷拉杯亚洲赛"]

    response = staff_client.post(url, data)

    assert response.status_code == 200
    assert "name_en" in response.context["adminform"].form.errors
    championship.refresh_from_db()
    assert championship.name_zh_hans is None


def test_the_back_office_edits_a_prize_award_and_description_in_both_languages(staff_client):
    championship = make_championship("pcca-2024")
    prize = Prize.objects.create(championship=championship, award="Le Mans 24 Hours")
    url = reverse("admin:championships_championship_change", args=[championship.pk])
    data = form_fields(staff_client, url, "name_en")
    assert data["prizes-0-award_en"] == ["Le Mans 24 Hours"]
    assert {"prizes-0-description_en", "prizes-0-description_zh_hans"} <= data.keys()

    data["prizes-0-award_zh_hans"] = ["勒芒24小时耐力赛"]
    data["prizes-0-description_en"] = ["A seat in the Porsche Junior team's car."]
    data["prizes-0-description_zh_hans"] = ["保时捷青年车手赛车的一个席位。"]
    response = staff_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    prize.refresh_from_db()
    assert in_language(CHINESE, lambda: (prize.award, prize.description)) == (
        "勒芒24小时耐力赛",
        "保时捷青年车手赛车的一个席位。",
    )
    assert (
        in_language("en", lambda: prize.description) == "A seat in the Porsche Junior team's car."
    )


def test_a_decision_keeps_both_reasons_in_its_history():
    championship = make_championship("pcca-2024")
    race = make_race(make_meeting(championship))
    penalty = penalty_save(
        penalty=Penalty(
            meeting_id=race.meeting_id,
            race_id=race.pk,
            entry=make_entry(championship, 7),
            kind="TIME",
            value=Decimal(5),
            reason_en="Track limits",
            reason_zh_hans="超出赛道界限",
            decided_at=dt.datetime(2024, 4, 20, 12, 0, tzinfo=dt.UTC),
        )
    )

    record = penalty.history.latest()
    assert (record.reason_en, record.reason_zh_hans) == ("Track limits", "超出赛道界限")
    assert in_language(CHINESE, lambda: Penalty.objects.get().reason) == "超出赛道界限"
    assert in_language("en", lambda: Penalty.objects.get().reason) == "Track limits"


# The season bundle --------------------------------------------------------------------------


def test_a_bundle_imported_in_chinese_writes_and_finds_the_english_names(example_season_path):
    with translation.override(CHINESE):
        season_import(example_season_path)

    championship = Championship.objects.get(slug="pcca-2024")
    assert championship.name_en == championship.name_zh_hans or championship.name_zh_hans is None
    assert championship.name_en and championship.series.name_en
    assert not Circuit.objects.filter(name_en__isnull=True).exists()
    assert not Penalty.objects.filter(reason_en__isnull=True).exists()
    # Imported again in Chinese, their Chinese names written meanwhile: the same circuits and
    # series are found by their English names, none added.
    Series.objects.update(name_zh_hans="保时捷卡雷拉杯亚洲赛")
    for n, circuit in enumerate(Circuit.objects.all()):
        Circuit.objects.filter(pk=circuit.pk).update(name_zh_hans=f"赛车场 {n}")
    counts = (Circuit.objects.count(), Series.objects.count())
    with translation.override(CHINESE):
        season_import(example_season_path, replace=True)
    assert (Circuit.objects.count(), Series.objects.count()) == counts
    assert Championship.objects.get(slug="pcca-2024").name_zh_hans is None


def test_a_bundle_exported_from_the_chinese_back_office_carries_the_english_names(pcca):
    Championship.objects.filter(pk=pcca.pk).update(name_zh_hans="2024 保时捷卡雷拉杯亚洲赛")
    Series.objects.update(name_zh_hans="保时捷卡雷拉杯亚洲赛")
    Circuit.objects.filter(pk=Circuit.objects.first().pk).update(name_zh_hans="上海国际赛车场")
    Meeting.objects.update(supporting_event_zh_hans="保时捷嘉年华")
    Penalty.objects.update(reason_zh_hans="超出赛道界限")
    english = bundle_files(Championship.objects.get(pk=pcca.pk))

    with translation.override(CHINESE):
        files = bundle_files(Championship.objects.get(pk=pcca.pk))

    assert files == english
    assert not any(mark in text for text in files.values() for mark in ("保", "上海", "超出"))
    assert 'name = "Porsche Carrera Cup Asia 2024"' in files["championship.toml"]


def test_the_cached_season_holds_the_english_reasons_whichever_language_loaded_it(pcca):
    """Loaded once for pages of both languages and the API: a Chinese page loading it first
    must not give the English pages and the API its Chinese reasons."""
    Penalty.objects.update(reason_zh_hans="超出赛道界限")

    with translation.override(CHINESE):
        season = cached_season(Championship.objects.get(pk=pcca.pk))

    english = set(Penalty.objects.values_list("reason_en", flat=True))
    assert season.penalties and {p.reason for p in season.penalties} <= english
    assert "超出赛道界限" not in english


# Pages and the API --------------------------------------------------------------------------


def test_a_chinese_page_shows_the_chinese_names_and_an_english_page_the_english_ones(client, pcca):
    Championship.objects.filter(pk=pcca.pk).update(name_zh_hans="2024 保时捷卡雷拉杯亚洲赛")
    url = in_language("en", lambda: reverse("championships:detail", args=[pcca.slug]))

    english = client.get(url).content.decode()
    with translation.override(CHINESE):
        chinese_url = reverse("championships:detail", args=[pcca.slug])
    chinese = client.get(chinese_url).content.decode()
    english_again = client.get(url).content.decode()  # kept per language

    assert chinese_url.startswith("/zh-hans/")
    assert "2024 保时捷卡雷拉杯亚洲赛" in chinese
    assert "2024 保时捷卡雷拉杯亚洲赛" not in english
    assert "Porsche Carrera Cup Asia 2024" in english
    assert english_again == english


def test_a_round_page_in_chinese_names_its_circuit_event_and_decisions_in_chinese(client, pcca):
    meeting = Meeting.objects.get(championship=pcca, round=1)
    assert Penalty.objects.filter(meeting=meeting).exists()
    Circuit.objects.filter(pk=meeting.circuit_id).update(name_zh_hans="测试国际赛车场")
    Meeting.objects.filter(pk=meeting.pk).update(
        supporting_event_en="Motorsport Festival", supporting_event_zh_hans="赛车嘉年华"
    )
    Penalty.objects.filter(meeting=meeting).update(reason_zh_hans="超出赛道界限")
    url = in_language("en", lambda: reverse("championships:meeting", args=[pcca.slug, 1]))

    english = client.get(url).content.decode()
    chinese = client.get(f"/zh-hans{url}").content.decode()

    for text in ("测试国际赛车场", "赛车嘉年华", "超出赛道界限"):
        assert text in chinese and text not in english
    assert meeting.circuit.name_en in english and "Motorsport Festival" in english
    assert Penalty.objects.filter(meeting=meeting).first().reason_en in english


def test_the_calendar_costs_the_same_queries_in_chinese_as_in_english(client, pcca):
    url = in_language("en", lambda: reverse("championships:calendar"))
    Circuit.objects.update(name_zh_hans=None)
    Circuit.objects.filter(pk=Circuit.objects.first().pk).update(name_zh_hans="上海国际赛车场")

    with CaptureQueriesContext(connection) as english:
        assert client.get(url).status_code == 200
    cache.clear()
    with CaptureQueriesContext(connection) as chinese:
        page = client.get(f"/zh-hans{url}")

    assert "上海国际赛车场" in page.content.decode()
    assert len(chinese.captured_queries) == len(english.captured_queries)


def test_the_api_answers_the_english_names_whatever_the_accept_language(client, pcca):
    """Unprefixed addresses are English (the LocaleMiddleware with i18n_patterns): the API's
    ``name`` stays the English text its clients always had."""
    Championship.objects.filter(pk=pcca.pk).update(name_zh_hans="2024 保时捷卡雷拉杯亚洲赛")
    url = f"/api/v1/championships/{pcca.slug}/"

    english = client.get(url).json()
    asked_in_chinese = client.get(url, HTTP_ACCEPT_LANGUAGE=CHINESE).json()

    assert english["name"] == asked_in_chinese["name"] == "Porsche Carrera Cup Asia 2024"
    assert english == asked_in_chinese


def test_the_api_gives_each_chinese_text_beside_the_english_one_null_where_missing(client, pcca):
    Championship.objects.filter(pk=pcca.pk).update(name_zh_hans="2024 保时捷卡雷拉杯亚洲赛")
    Meeting.objects.filter(championship=pcca, round=1).update(supporting_event_zh_hans="嘉年华")
    meeting = Meeting.objects.get(championship=pcca, round=1)

    championship = client.get(f"/api/v1/championships/{pcca.slug}/").json()
    series = client.get(f"/api/v1/series/{pcca.series.slug}/").json()
    answered = client.get(f"/api/v1/meetings/{meeting.pk}/").json()
    penalty = client.get(f"/api/v1/penalties/{Penalty.objects.first().pk}/").json()

    assert championship["name_zh_hans"] == "2024 保时捷卡雷拉杯亚洲赛"
    assert series["name_zh_hans"] is None
    assert (answered["supporting_event_zh_hans"], answered["circuit"]["name_zh_hans"]) == (
        "嘉年华",
        None,
    )
    assert penalty["reason"] and penalty["reason_zh_hans"] is None


# The migration ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_makes_each_existing_text_the_english_one():
    before = [("championships", "0012_season_status_featured_series_position")]
    after = [("championships", "0013_names_in_english_and_chinese")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    series = old.get_model("championships", "Series").objects.create(name="Cup", slug="cup")
    circuit = old.get_model("championships", "Circuit").objects.create(
        name="Sepang", country="MY", timezone="Asia/Kuala_Lumpur"
    )
    old.get_model("championships", "Championship").objects.create(
        series=series, slug="cup-2024", name="Cup 2024", year=2024
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert Series.objects.values_list("name_en", "name_zh_hans").get() == ("Cup", None)
    assert Circuit.objects.get(pk=circuit.pk).name_en == "Sepang"
    assert in_language(CHINESE, lambda: Championship.objects.get().name) == "Cup 2024"
