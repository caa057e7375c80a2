"""core.flags: the registry through which a higher app flags a meeting's entries on the pages
of lower apps."""

import pytest

from core import flags


@pytest.fixture
def registry(monkeypatch):
    """An empty registry for the test; the project's providers are back afterwards."""
    monkeypatch.setattr(flags, "_providers", [])
    return flags


def test_two_providers_are_merged_per_entry_in_registration_order(registry):
    registry.register_meeting_flags(lambda meeting: {1: ["Licence expired."], 2: ["A"]})
    registry.register_meeting_flags(lambda meeting: {1: ["Not signed on."], 3: ["B"]})

    assert registry.meeting_flags(object()) == {
        1: ["Licence expired.", "Not signed on."],
        2: ["A"],
        3: ["B"],
    }


def test_each_provider_is_given_the_meeting_and_an_entry_without_flags_is_left_out(registry):
    seen = []

    def provider(meeting):
        seen.append(meeting)
        return {7: [], 8: ["Flagged."]}

    registry.register_meeting_flags(provider)
    meeting = object()

    assert registry.meeting_flags(meeting) == {8: ["Flagged."]}
    assert seen == [meeting]


def test_a_provider_registered_twice_counts_once(registry):
    def provider(meeting):
        return {1: ["Once."]}

    registry.register_meeting_flags(provider)
    registry.register_meeting_flags(provider)

    assert registry.meeting_flags(None) == {1: ["Once."]}


def test_no_provider_no_flags(registry):
    assert registry.meeting_flags(None) == {}


def test_the_entrants_side_registers_its_provider_when_it_starts():
    from paddock.services.checks import meeting_document_flags

    assert meeting_document_flags in flags._providers
