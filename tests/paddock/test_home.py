"""The entrant's page (/paddock/): per team, the applications and their state, each approved
entry's seat packages, cars, results and stewards' decisions, the fees with their totals, and
the drivers' documents with what stops them racing at the meetings ahead; in the entrant's
language; the same queries for one entry as for ten."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format

from championships.models import PenaltyKind, ResultStatus
from entries.models import PaymentStatus
from paddock.models import (
    ApplicationStatus,
    DocumentKind,
    EntrantTeam,
    Fee,
    FeeKind,
    Invitation,
    TeamMember,
    TeamRole,
)
from tests import factories
from tests.paddock.factories import (
    entrant_client,
    make_account,
    make_application,
    make_document,
    make_entrant_driver,
    make_entrant_team,
    make_window,
    manager_of,
)

pytestmark = pytest.mark.django_db

URL = "/paddock/"


def page(user, url: str = URL) -> str:
    response = entrant_client(user).get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def approved(window, team, driver=None, *, car_number: int, **fields):
    """An approved application with its entry on the entry lists."""
    application = make_application(window, team, driver, car_number=car_number, **fields)
    entry = factories.make_entry(
        window.championship,
        car_number,
        entry_class=application.entry_class,
        arrive_and_drive=True,
    )
    application.status = ApplicationStatus.APPROVED
    application.entry = entry
    application.save()
    return application


def raced(application, *, position: int, chassis: str) -> None:
    """The entry's seat, chassis, result, decision and fee at the season's first meeting."""
    entry = application.entry
    meeting = application.championship.meetings.order_by("round").first()
    race = meeting.races.order_by("number").first()
    factories.make_package(entry, payment_status=PaymentStatus.INVOICED)
    factories.make_allocation(meeting, factories.make_car(chassis), entry)
    factories.make_result(race, entry, position)
    factories.make_penalty(entry, PenaltyKind.TIME, race=race, reason="Track limits")
    Fee.objects.create(
        application=application, kind=FeeKind.SEASON, amount=Decimal("50000"), currency="USD"
    )


@pytest.fixture
def season():
    """A team with one approved entry that raced, one refused application, and documents."""
    window = make_window()
    team = make_entrant_team("Apex Racing")
    driver = make_entrant_driver(team, "Mia", last_name="Tan")
    entry_app = approved(window, team, driver, car_number=27)
    raced(entry_app, position=3, chassis="WP0ZZZ99ZRS000777")
    refused = make_application(
        window,
        team,
        car_number=28,
        status=ApplicationStatus.REFUSED,
        status_reason="The PRO_AM class is full.",
    )
    return window, team, driver, entry_app, refused


# Who sees the page ---------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_user_in_no_team_is_offered_to_create_one_and_sees_their_open_invitations():
    user = make_account("newcomer@example.com")
    inviting = make_entrant_team("Dragon Motorsport")
    open_one = Invitation.objects.create(
        team=inviting,
        email="NEWCOMER@example.com",
        role=TeamRole.DRIVER,
        invited_by=manager_of(inviting),
    )
    other_team = make_entrant_team("Elsewhere GT")
    Invitation.objects.create(
        team=other_team,
        email="newcomer@example.com",
        role=TeamRole.STAFF,
        invited_by=manager_of(other_team),
        invited_at=timezone.now() - dt.timedelta(days=30),
        expires_at=timezone.now() - dt.timedelta(days=1),
    )
    Invitation.objects.create(
        team=other_team,
        email="someone@example.com",
        role=TeamRole.STAFF,
        invited_by=manager_of(other_team),
    )

    html = page(user)

    assert "You are in no team yet" in html
    assert 'href="/paddock/teams/new/"' in html
    assert f'href="/paddock/invitations/{open_one.token}/"' in html
    assert "Dragon Motorsport" in html
    assert "Elsewhere GT" not in html  # expired, or addressed to someone else


def test_a_user_in_no_team_and_without_invitations_is_told_so():
    html = page(make_account())

    assert "No invitation is waiting for your e-mail address." in html
    assert 'href="/paddock/teams/new/"' in html


# What a manager reads -------------------------------------------------------------------------


def test_manager_sees_applications_with_status_reason_reference_and_links(season):
    _, team, _, entry_app, refused = season

    html = page(manager_of(team))

    assert f'href="/paddock/teams/{team.pk}/"' in html
    assert 'href="/paddock/entries/"' in html
    assert f'href="/paddock/applications/{entry_app.pk}/">{entry_app.reference}</a>' in html
    assert f'href="/paddock/applications/{refused.pk}/">{refused.reference}</a>' in html
    assert "Refused: The PRO_AM class is full." in html
    assert "You are in no team yet" not in html


def test_manager_sees_the_entry_its_seat_car_result_and_decision(season):
    window, team, _, entry_app, _ = season

    html = page(manager_of(team))

    assert f"Car #27 in {window.championship.name}" in html
    assert "Full season" in html and "185,000.00 CNY" in html and "Invoiced" in html
    assert "WP0ZZZ99ZRS000777" in html
    assert "P3" in html
    assert "5 s time penalty" in html and "Track limits" in html


def test_a_withdrawn_decision_is_struck_through_with_its_withdrawal(season):
    _, team, _, entry_app, _ = season
    decision = entry_app.entry.penalties.get()
    decision.withdrawn_at = timezone.now()
    decision.withdrawn_reason = "Appeal upheld"
    decision.save()

    html = page(manager_of(team))

    assert "<del>5 s time penalty</del>" in html
    assert "Withdrawn on appeal on" in html and "Appeal upheld" in html


def test_a_result_without_a_position_shows_its_status(season):
    window, team, driver, entry_app, _ = season
    other = approved(window, team, car_number=31)
    race = window.championship.meetings.get().races.get()
    factories.make_result(race, other.entry, None, status=ResultStatus.DNF)

    html = page(manager_of(team))

    assert "Did not finish" in html


def test_fees_list_kind_amount_status_invoice_and_totals_per_currency(season):
    _, team, _, entry_app, refused = season
    Fee.objects.create(
        application=entry_app,
        kind=FeeKind.DEPOSIT,
        amount=Decimal("10000"),
        currency="USD",
        status=PaymentStatus.PAID,
        invoice_number="INV-2027-0042",
        invoiced_on=dt.date(2027, 1, 5),
        paid_on=dt.date(2027, 1, 20),
    )
    Fee.objects.create(
        application=entry_app,
        kind=FeeKind.OTHER,
        description="Paddock pass",
        amount=Decimal("1200.5"),
        currency="CNY",
        status=PaymentStatus.INVOICED,
        invoice_number="INV-2027-0043",
    )
    Fee.objects.create(
        application=entry_app,
        kind=FeeKind.SEAT,
        amount=Decimal("999"),
        currency="USD",
        status=PaymentStatus.REFUNDED,
    )

    html = page(manager_of(team))

    assert "Season entry fee" in html and "50,000.00 USD" in html
    assert "INV-2027-0042" in html and "Jan. 20, 2027" in html
    assert "Paddock pass" in html and "1,200.50 CNY" in html
    totals = html[html.index("Totals by currency") :]
    # USD: 50,000 unpaid owed, 10,000 paid, the refunded 999 neither; CNY: 1,200.50 invoiced.
    assert re.search(r"USD</th>\s*<td[^>]*>50,000.00 USD</td>\s*<td[^>]*>10,000.00 USD", totals)
    assert re.search(r"CNY</th>\s*<td[^>]*>1,200.50 CNY</td>\s*<td[^>]*>0.00 CNY", totals)


def test_documents_and_the_problems_at_each_meeting_ahead(season):
    window, team, driver, _, _ = season
    meeting = window.championship.meetings.get()
    make_document(driver, DocumentKind.LICENCE, expires_on=meeting.start_date)  # during it
    second = make_entrant_driver(team, "Leo", last_name="Wong")
    approved(window, team, second, car_number=44)
    make_document(
        second, DocumentKind.MEDICAL, expires_on=meeting.start_date - dt.timedelta(days=3)
    )

    html = page(manager_of(team))

    assert "Drivers' documents" in html
    during = date_format(meeting.start_date, "DATE_FORMAT")
    assert f"Racing licence expires on {during}, during the meeting." in html
    assert "Medical certificate missing." in html  # Mia has no medical
    assert "Racing licence missing." in html  # Leo has no licence
    expired = date_format(meeting.start_date - dt.timedelta(days=3), "DATE_FORMAT")
    assert f"Medical certificate expired on {expired}." in html


def test_a_driver_with_valid_documents_is_in_order(season):
    _, team, driver, _, _ = season
    make_document(driver, DocumentKind.LICENCE)
    make_document(driver, DocumentKind.MEDICAL)

    html = page(manager_of(team))

    assert "documents in order." in html
    assert "missing." not in html


def test_a_meeting_over_raises_no_problem(season):
    window, team, driver, _, _ = season
    meeting = window.championship.meetings.get()
    meeting.start_date = timezone.localdate() - dt.timedelta(days=5)
    meeting.end_date = timezone.localdate() - dt.timedelta(days=4)
    meeting.save()

    html = page(manager_of(team))

    assert "missing." not in html


# What a driver and team staff read -----------------------------------------------------------


def test_a_driver_sees_only_their_own_application_and_documents(season):
    window, team, driver, entry_app, refused = season
    account = make_account()
    driver.user = account
    driver.save()
    TeamMember.objects.create(team=team, user=account, role=TeamRole.DRIVER)
    make_document(driver, DocumentKind.LICENCE)
    make_document(refused.driver, DocumentKind.MEDICAL)

    html = page(account)

    assert entry_app.reference in html
    assert refused.reference not in html
    assert "Your documents" in html
    assert refused.driver.full_name not in html
    assert 'href="/paddock/entries/"' not in html  # only managers apply


def test_team_staff_see_the_applications_but_no_driver_documents(season):
    _, team, driver, entry_app, refused = season
    account = make_account()
    TeamMember.objects.create(team=team, user=account, role=TeamRole.STAFF)
    make_document(driver, DocumentKind.LICENCE)

    html = page(account)

    assert entry_app.reference in html and refused.reference in html
    assert "Racing licence" not in html


def test_another_teams_data_never_shows(season):
    window, team, _, entry_app, _ = season
    other = make_entrant_team("Rival Motorsport")
    theirs = approved(window, other, car_number=88)
    raced(theirs, position=1, chassis="WP0ZZZ99ZRS000888")
    make_document(theirs.driver, DocumentKind.LICENCE)

    html = page(manager_of(team))

    assert theirs.reference not in html
    assert "Rival Motorsport" not in html
    assert "WP0ZZZ99ZRS000888" not in html
    assert theirs.driver.full_name not in html


def test_a_member_of_two_teams_sees_each_in_its_own_section(season):
    window, team, _, entry_app, _ = season
    manager = manager_of(team)
    second = make_entrant_team("Zenith GT", manager=manager)
    theirs = make_application(window, second, car_number=77)

    html = page(manager)

    assert html.index("Apex Racing") < html.index("Zenith GT")
    assert html.index(entry_app.reference) < html.index("Zenith GT") < html.index(theirs.reference)


# Language, headings, queries ------------------------------------------------------------------


def test_the_page_in_chinese_with_dates_in_chinese(season):
    _, team, driver, entry_app, _ = season
    Fee.objects.filter(application=entry_app).update(
        status=PaymentStatus.PAID, paid_on=dt.date(2027, 2, 3)
    )

    html = page(manager_of(team), "/zh-hans" + URL)

    assert '<html lang="zh-hans">' in html
    assert "2027年2月3日" in html
    assert "已付款" in html  # Paid


def test_headings_are_in_order_and_tables_have_captions_and_scopes(season):
    html = page(manager_of(season[1]))

    levels = [int(level) for level in re.findall(r"<h([1-6])[ >]", html)]
    assert levels[0] == 1 and levels.count(1) == 1
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, levels
    main = html[html.index("<main") :]
    assert main.count("<table") == main.count("<caption>") > 0
    assert '<th scope="col">' in main and '<th scope="row">' in main
    assert "<th>" not in main


def _team_with_entries(count: int, chassis: str) -> EntrantTeam:
    window = make_window()
    team = make_entrant_team()
    meeting = window.championship.meetings.get()
    for n in range(count):
        driver = make_entrant_driver(team, f"Driver{n}")
        make_document(driver, DocumentKind.LICENCE, expires_on=meeting.start_date)
        application = approved(window, team, driver, car_number=10 + n)
        raced(application, position=n + 1, chassis=f"{chassis}{n:06}")
    return team


def test_the_same_queries_for_one_entry_as_for_ten(django_assert_num_queries):
    one, ten = _team_with_entries(1, "WP0ONE"), _team_with_entries(10, "WP0TEN")
    client = entrant_client(manager_of(one))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    expected = len(queries)

    client = entrant_client(manager_of(ten))
    with django_assert_num_queries(expected):
        html = client.get(URL).content.decode()

    assert html.count("Car #") == 10
    assert html.count("during the meeting.") == 10


def test_the_same_queries_for_one_team_as_for_three(django_assert_num_queries):
    one = _team_with_entries(1, "WP0SOLO")
    client = entrant_client(manager_of(one))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    expected = len(queries)

    user = make_account()
    for n in range(3):
        team = _team_with_entries(1, f"WP0TEAM{n}")
        TeamMember.objects.create(team=team, user=user, role=TeamRole.MANAGER)
    client = entrant_client(user)
    with django_assert_num_queries(expected):
        html = client.get(URL).content.decode()

    assert html.count("Car #") == 3
    assert html.count("during the meeting.") == 3
