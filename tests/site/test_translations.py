"""Everything user-facing exists in Simplified Chinese, and the compiled catalogue is current."""

import polib
from django.utils import translation

from tests.factories import PROJECT_DIR

CATALOGUE = PROJECT_DIR / "locale" / "zh_Hans" / "LC_MESSAGES"


def _entries() -> list[polib.POEntry]:
    return list(polib.pofile(str(CATALOGUE / "django.po")))


def test_every_message_has_a_chinese_translation():
    untranslated = [e.msgid for e in _entries() if not e.translated() or "fuzzy" in e.flags]

    assert untranslated == []


def _translation(entry: polib.POEntry | polib.MOEntry) -> object:
    return entry.msgstr_plural if entry.msgid_plural else entry.msgstr


def test_the_compiled_catalogue_matches_the_source():
    compiled = {
        (e.msgctxt, e.msgid): _translation(e) for e in polib.mofile(str(CATALOGUE / "django.mo"))
    }

    stale = [e.msgid for e in _entries() if compiled.get((e.msgctxt, e.msgid)) != _translation(e)]

    assert stale == [], "run `make messages` to recompile locale/zh_Hans"


def test_django_serves_the_chinese_catalogue():
    with translation.override("zh-hans"):
        assert translation.gettext("Calendar") == "赛历"


def test_one_english_word_with_two_meanings_is_translated_by_its_context():
    with translation.override("zh-hans"):
        assert translation.gettext("Apply") == "应用"  # a back-office button
        assert translation.pgettext("the Talent Pool application page", "Apply") == "申请"


def test_the_home_page_speaks_chinese_when_asked(client, db):
    response = client.get("/zh-hans/")

    html = response.content.decode()
    assert "<h1>锦标赛</h1>" in html
    assert "跳至内容" in html
