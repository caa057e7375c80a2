"""Tie stories on the standings page, in the visitor's language (templatetags.cup.tie_text).

The API keeps the English sentence (``tie_sentence(tie)``); the page says the same in English
and in Chinese from the tie's parts."""

import pytest
from django.utils import translation

from championships.standings.ties import tie_sentence
from public.templatetags.cup import tie_text
from tests.factories import finish, scheme, season, table

COUNTBACK = season(finish(1, 1, 2, 3), finish(2, 4, 2, 1), schemes={"drivers": scheme(6, 4, 2)})
RECENT = season(finish(1, 1, 2), finish(2, 2, 1), schemes={"drivers": scheme(5, 5)})
SHARED = season(finish(1, 1, 2), finish(2, 2, 1), tie_break="none")


def ties(data, car: int):
    return next(row.ties for row in table(data).rows if row.entry.id == car)


@pytest.mark.parametrize(
    ("data", "car"),
    [(COUNTBACK, 1), (COUNTBACK, 2), (RECENT, 1), (RECENT, 2), (SHARED, 1), (SHARED, 2)],
)
def test_in_english_the_page_says_what_the_api_says(data, car):
    with translation.override("en"):
        assert [tie_text(tie) for tie in ties(data, car)] == [
            tie_sentence(tie) for tie in ties(data, car)
        ]


@pytest.mark.parametrize(("data", "car"), [(COUNTBACK, 1), (RECENT, 2), (SHARED, 2)])
def test_the_api_says_a_tie_in_english_whatever_the_visitors_language(data, car):
    with translation.override("en"):
        english = [tie_sentence(tie) for tie in ties(data, car)]

    with translation.override("zh-hans"):
        assert [tie_sentence(tie) for tie in ties(data, car)] == english


def test_in_chinese_a_countback_names_the_rank_and_the_counts():
    with translation.override("zh-hans"):
        ahead, behind = ties(COUNTBACK, 1)[0], ties(COUNTBACK, 2)[0]

        assert tie_text(ahead) == "按名次次数排在 #2 之前：第 1 名的次数更多（1 比 0）"
        assert tie_text(behind) == "按名次次数排在 #1 之后：第 1 名的次数更少（0 比 1）"


def test_in_chinese_the_most_recent_race_and_a_shared_place_are_said_too():
    with translation.override("zh-hans"):
        recent, shared = ties(RECENT, 2)[0], ties(SHARED, 2)[0]

        assert tie_text(recent) == (
            "凭两者名次不同的最近一场比赛 R2-1 排在 #1 之前：第 1 名 比 第 2 名"
        )
        assert tie_text(shared) == "与 #1 并列：积分相同（不设决胜规则）"
