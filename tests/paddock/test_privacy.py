"""Each team sees only its own data: every page of the paddock namespace that takes an id or a
token answers 404 to a manager of another team given team A's ids and tokens (GET and POST);
every paddock page sends an anonymous visitor to sign in; documents are never at a public
address.

The sweep reads the namespace's ``urlpatterns``, so a page added later is swept too; a page
whose arguments it cannot fill fails the test until ``FILL`` (or ``BY_KWARG``) says what to
give it.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, resolve, reverse

from core.documents import paddock_storage
from paddock.models import (
    DocumentKind,
    DriverDocument,
    EntrantDriver,
    EntrantTeam,
    EntryApplication,
    Fee,
    FeeKind,
    Invitation,
    Protest,
    ProtestAttachment,
    TeamMember,
    TeamRole,
)
from public.urls import paddock as paddock_urls
from tests.factories import make_board_document, make_entry, make_meeting, make_team
from tests.paddock.factories import (
    entrant_client,
    make_account,
    make_application,
    make_document,
    make_entrant_driver,
    make_entrant_team,
    make_protest,
    make_window,
    manager_of,
)

pytestmark = pytest.mark.django_db


@dataclass
class TeamA:
    """Team A's objects, whose ids and tokens a manager of team B tries."""

    team: EntrantTeam
    member: TeamMember
    driver: EntrantDriver
    document: DriverDocument
    application: EntryApplication
    fee: Fee
    invitation: Invitation
    protest: Protest
    attachment: ProtestAttachment


# What each kind of team A's object gives a URL's argument.
OBJECTS: dict[str, Callable[[TeamA], object]] = {
    "team": lambda a: a.team.pk,
    "member": lambda a: a.member.pk,
    "driver": lambda a: a.driver.pk,
    "document": lambda a: a.document.pk,
    "application": lambda a: a.application.pk,
    "fee": lambda a: a.fee.pk,
    "invitation": lambda a: a.invitation.pk,
    "token": lambda a: a.invitation.token,
    "championship": lambda a: a.application.championship.slug,
    # The round of team A's championship (its notice board in the paddock).
    "meeting": lambda a: a.application.championship.meetings.order_by("pk").first().pk,
    "protest": lambda a: a.protest.pk,
    # The board document team A protested (a round team B does not race in).
    "board_document": lambda a: a.protest.document_id,
    "attachment": lambda a: a.attachment.pk,
}
# Objects anyone may name (a public season): a page given only these and the intruder's own
# team is theirs to open.
PUBLIC_OBJECTS = {"championship"}

# An argument named after its object: ``team``, ``team_id``, ``invitation_pk``, ``token``...
BY_KWARG = {
    **{name: name for name in OBJECTS},
    **{f"{name}_id": name for name in OBJECTS},
    **{f"{name}_pk": name for name in OBJECTS},
}

# What a ``pk`` (or any argument not named after its object) is, page by page: a page missing
# here fails test_the_sweep_knows_how_to_fill_every_paddock_page until it is added.
FILL: dict[str, dict[str, str]] = {
    "team": {"pk": "team"},
    "invitation-create": {"pk": "team"},
    "invitation-revoke": {"pk": "team"},
    "member-remove": {"pk": "team"},
    "driver": {"pk": "driver"},
    "document-add": {"pk": "driver"},
    "document": {"pk": "document"},
    "document-delete": {"pk": "document"},
    "application": {"pk": "application"},
    "application-withdraw": {"pk": "application"},
    "protest-new": {"document_id": "board_document"},
    "protest-detail": {"pk": "protest"},
    "protest-withdraw": {"pk": "protest"},
    "protest-attachment": {"pk": "attachment"},
}


def swept_patterns(
    patterns: list | None = None, prefix: str = ""
) -> Iterator[tuple[str, URLPattern, str]]:
    """Every URL pattern of the namespace, with its name and route, through any include."""
    for pattern in paddock_urls.urlpatterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from swept_patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield pattern.name or "", pattern, prefix + str(pattern.pattern)


def kwarg_names(pattern: URLPattern) -> list[str]:
    return list(pattern.pattern.regex.groupindex)


def object_for(name: str, kwarg: str) -> str | None:
    """Which of team A's objects fills ``kwarg`` of the page ``name``; None: unknown."""
    if kwarg in FILL.get(name, {}):
        return FILL[name][kwarg]
    return BY_KWARG.get(kwarg)


@pytest.fixture
def team_a() -> TeamA:
    window = make_window()
    team = make_entrant_team("Team A")
    driver = make_entrant_driver(team, "Ada", email="ada@example.com")
    document = make_document(driver, DocumentKind.LICENCE)
    application = make_application(window, team, driver)
    fee = Fee.objects.create(
        application=application,
        kind=FeeKind.SEASON,
        amount=Decimal("50000"),
        currency="USD",
        invoice_number="INV-A-1",
    )
    invitation = Invitation.objects.create(
        team=team,
        email="ada@example.com",
        role=TeamRole.DRIVER,
        driver=driver,
        invited_by=manager_of(team),
    )
    member = team.members.get()
    # Team A races in the championship and protested a classification of its round.
    team.team = make_team("Team A Racing")
    team.save(update_fields=["team"])
    make_entry(window.championship, team=team.team)
    meeting = window.championship.meetings.order_by("pk").first() or make_meeting(
        window.championship
    )
    protest = make_protest(make_board_document(meeting), team)
    attachment = ProtestAttachment.objects.create(
        protest=protest,
        file=ContentFile(b"%PDF-1.4 onboard", name="onboard.pdf"),
        name="onboard.pdf",
        content_type="application/pdf",
        size=16,
    )
    return TeamA(team, member, driver, document, application, fee, invitation, protest, attachment)


def _fill(
    team_a: TeamA, own_team: EntrantTeam | None = None
) -> tuple[list[tuple[str, str]], list[str]]:
    """Each page with arguments as (name, path with team A's values), and the pages the sweep
    does not know how to fill. With ``own_team``, also each page whose team argument is that
    team's while the others stay team A's (a page must not take another team's object by
    the id of one's own team)."""
    pages, unknown = [], []
    for name, pattern, route in swept_patterns():
        kwargs = kwarg_names(pattern)
        if not kwargs:
            continue
        objects = {kwarg: object_for(name, kwarg) for kwarg in kwargs}
        missing = [kwarg for kwarg, found in objects.items() if found is None]
        if not name or missing:
            unknown.append(f"{name or '(no name)'} ({route}): {', '.join(missing) or 'no name'}")
            continue
        values = {kwarg: OBJECTS[found](team_a) for kwarg, found in objects.items()}
        pages.append((name, reverse(f"paddock:{name}", kwargs=values)))
        others = set(objects.values()) - {"team"} - PUBLIC_OBJECTS
        if own_team is not None and "team" in objects.values() and others:
            mixed = {
                kwarg: own_team.pk if objects[kwarg] == "team" else value
                for kwarg, value in values.items()
            }
            pages.append((name, reverse(f"paddock:{name}", kwargs=mixed)))
    return pages, unknown


def answer(client, method: str, path: str) -> int:
    """The status of one request, whatever it wrote undone: each page meets team A as it
    was (a POST that joined team A or deleted its document would blind the next pages)."""
    with transaction.atomic():
        status = getattr(client, method)(path).status_code
        transaction.set_rollback(True)
    return status


def test_the_sweep_knows_how_to_fill_every_paddock_page(team_a):
    _, unknown = _fill(team_a)

    assert not unknown, (
        "The privacy sweep does not know what to give these paddock pages; say it in FILL "
        "(URL name -> argument -> object) in tests/paddock/test_privacy.py: " + "; ".join(unknown)
    )


# Pages found answering other than 404 to another team's manager, each with what it does.
# The sweep leaves them to test_known_openings_answer_404, a strict expected failure: when a
# page is fixed, that test passes, fails as strict, and its line here is to be removed.
def _not_404(team_a: TeamA, names: set[str] | None, skip: set[str]) -> dict[str, int]:
    """The answers of team A's pages other than 404 to a manager of team B (``names``: only
    these pages; ``skip``: not these)."""
    intruder = make_entrant_team("Team B")
    make_entrant_driver(intruder, "Bea")  # team B has objects of its own too
    pages, _ = _fill(team_a, own_team=intruder)
    client = entrant_client(manager_of(intruder))
    answers = {}
    for name, path in pages:
        if name in skip or (names is not None and name not in names):
            continue
        for method in ("get", "post"):
            status = answer(client, method, path)
            # A page that takes only POST answers a GET 405 for any id: it tells nothing.
            if status != 404 and not (method == "get" and status == 405):
                answers[f"{method.upper()} {path} ({name})"] = status
    return answers


def test_another_teams_manager_gets_404_for_every_page_of_team_a(team_a):
    answers = _not_404(team_a, None, skip=set())

    assert not answers, f"Team B's manager reached team A's pages (expected 404): {answers}"


def test_the_sweep_fills_each_page_it_names(team_a):
    """The sweep is no empty loop: each page it fills is the page of that name."""
    pages, _ = _fill(team_a)

    assert pages, "no paddock page with an id or token was found"
    for name, path in pages:
        assert resolve(path).view_name == f"paddock:{name}", path


def test_a_driver_of_team_a_cannot_read_a_teammates_document(team_a):
    """Inside a team, a driver reads their own documents only."""
    teammate = make_entrant_driver(team_a.team, "Bo")
    theirs = make_document(teammate, DocumentKind.MEDICAL)
    account = make_account()
    team_a.driver.user = account
    team_a.driver.save()
    TeamMember.objects.create(team=team_a.team, user=account, role=TeamRole.DRIVER)
    names = {name for name, _, _ in swept_patterns()}
    if "document" not in names:
        pytest.skip("no document page yet")

    response = entrant_client(account).get(f"/paddock/documents/{theirs.pk}/")

    assert response.status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in_from_every_paddock_page(client, team_a):
    pages, _ = _fill(team_a)
    plain = [
        (name, reverse(f"paddock:{name}"))
        for name, pattern, _ in swept_patterns()
        if name and not kwarg_names(pattern)
    ]

    wrong = {}
    for name, path in [*plain, *pages]:
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            location = response.headers.get("Location") or ""
            if method == "get" and response.status_code == 405:
                continue  # a page that takes only POST: nothing shown, nothing done
            if response.status_code != 302 or not location.startswith("/accounts/login/"):
                wrong[f"{method.upper()} {path} ({name})"] = (response.status_code, location)

    assert not wrong, f"Paddock pages that do not send an anonymous visitor to sign in: {wrong}"


def test_documents_have_no_public_address(team_a):
    with pytest.raises(ValueError):
        paddock_storage.url(team_a.document.file.name)
    with pytest.raises(ValueError):
        team_a.document.file.url  # noqa: B018
    configured = importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"])
    root = Path(configured.PADDOCK_UPLOAD_ROOT).resolve()
    public = [configured.STATIC_ROOT, *configured.STATICFILES_DIRS]
    public += [configured.MEDIA_ROOT] if getattr(configured, "MEDIA_ROOT", "") else []
    for folder in public:
        folder = Path(folder).resolve()
        assert not root.is_relative_to(folder) and not folder.is_relative_to(root), (root, folder)


def test_a_stored_document_is_not_served_under_static_or_media(client, team_a):
    name = team_a.document.file.name
    for prefix in ("/static/", "/media/"):
        assert client.get(prefix + name).status_code == 404
