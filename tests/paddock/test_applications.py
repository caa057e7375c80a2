"""The entrants' application pages: the championships open to entries, the form (several
cars, forged files, rate limit), the team's applications and one application's steps and
fees. Another team's ids answer 404."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from entries.models import PaymentStatus
from paddock.models import (
    ApplicationStatus,
    DriverDocument,
    EntrantDriver,
    EntryApplication,
    Fee,
    FeeKind,
    TeamMember,
    TeamRole,
)
from tests.factories import image_bytes, make_entry, make_meeting, pdf_file, png_file
from tests.paddock.factories import (
    entrant_client,
    make_account,
    make_application,
    make_entrant_driver,
    make_entrant_team,
    make_window,
    manager_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def window():
    return make_window()


@pytest.fixture
def team():
    return make_entrant_team()


def _apply_url(team, window, query: str = "") -> str:
    url = reverse(
        "paddock:apply", kwargs={"team": team.pk, "championship": window.championship.slug}
    )
    return f"{url}?{query}" if query else url


def _car(window, index: int = 0, **overrides) -> dict:
    prefix = f"car-{index}-"
    pro_am = window.championship.classes.get(code="PRO_AM")
    data = {
        "driver": "",
        "first_name": "Ana",
        "last_name": f"Lopes{index}",
        "date_of_birth": "1998-03-03",
        "nationality": "PT",
        "email": "ana@example.com",
        "licence_file": pdf_file("licence.pdf"),
        "licence_grade": "National A",
        "licence_issued_by": "AAM",
        "licence_number": "L-1",
        "licence_expires_on": "2099-12-31",
        "medical_file": pdf_file("medical.pdf"),
        "medical_expires_on": "2099-12-31",
        "car_number": str(55 + index),
        "entry_class": str(pro_am.pk),
        "category": "SILVER",
        "seat": "",
        **overrides,
    }
    return {prefix + name: value for name, value in data.items()}


def _post_data(window, cars: list[dict] | None = None, **overrides) -> dict:
    cars = cars if cars is not None else [_car(window)]
    data = {
        "car-TOTAL_FORMS": str(len(cars)),
        "car-INITIAL_FORMS": "0",
        "car-MIN_NUM_FORMS": "1",
        "car-MAX_NUM_FORMS": "10",
        "regulations_accepted": "on",
        "declared_name": "Tan Wei Ming",
        **overrides,
    }
    for car in cars:
        data.update(car)
    return data


def _files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def _nothing_stored(root: Path) -> None:
    assert not EntryApplication.objects.exists()
    assert not EntrantDriver.objects.exists()
    assert not DriverDocument.objects.exists()
    assert _files(root) == []


# --- Entries open ----------------------------------------------------------------------------


def test_entries_open_lists_window_with_places_left_and_links(window, team):
    other = make_entrant_team()
    make_application(window, other, status=ApplicationStatus.APPROVED)
    make_application(window, other, status=ApplicationStatus.SUBMITTED)
    ahead = make_meeting(window.championship, 2, start_date=dt.date(window.championship.year, 6, 1))
    response = entrant_client(manager_of(team)).get(reverse("paddock:entries-open"))
    assert response.status_code == 200
    page = response.content.decode()
    assert window.championship.name in page
    assert "19 of 20" in page
    assert _apply_url(team, window) in page
    assert f"{_apply_url(team, window)}?meeting={ahead.pk}" in page
    assert "Sporting Regulations" in page


def test_entries_open_leaves_out_closed_windows(team):
    past = timezone.now() - dt.timedelta(days=1)
    closed = make_window(opens_at=past - dt.timedelta(days=5), closes_at=past)
    response = entrant_client(manager_of(team)).get(reverse("paddock:entries-open"))
    assert closed.championship.name not in response.content.decode()


def test_entries_open_needs_sign_in(client):
    response = client.get(reverse("paddock:entries-open"))
    assert response.status_code == 302


# --- The form --------------------------------------------------------------------------------


def test_apply_form_shows_window_classes_and_regulations(window, team):
    response = entrant_client(manager_of(team)).get(_apply_url(team, window))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Sporting Regulations, version 2027-1" in page
    assert 'name="car-0-car_number"' in page
    assert 'name="car-1-car_number"' not in page


def test_add_another_car_without_javascript(window, team):
    client = entrant_client(manager_of(team))
    page = client.get(_apply_url(team, window)).content.decode()
    assert "cars=2" in page
    page = client.get(_apply_url(team, window, "cars=2")).content.decode()
    assert 'name="car-1-car_number"' in page


def test_another_teams_apply_url_is_404(window, team):
    intruder = make_entrant_team()
    response = entrant_client(manager_of(intruder)).get(_apply_url(team, window))
    assert response.status_code == 404


def test_team_driver_cannot_apply(window, team):
    driver = make_account()
    TeamMember.objects.create(team=team, user=driver, role=TeamRole.DRIVER)
    assert entrant_client(driver).get(_apply_url(team, window)).status_code == 404


def test_closed_window_shows_closed_page(team):
    past = timezone.now() - dt.timedelta(days=1)
    window = make_window(opens_at=past - dt.timedelta(days=5), closes_at=past)
    response = entrant_client(manager_of(team)).post(_apply_url(team, window), _post_data(window))
    assert response.status_code == 200
    assert "Entries closed" in response.content.decode()
    assert not EntryApplication.objects.exists()


def test_meeting_started_shows_closed_page(window, team):
    today = timezone.localdate()
    meeting = make_meeting(window.championship, 2, start_date=today, end_date=today)
    response = entrant_client(manager_of(team)).get(
        _apply_url(team, window, f"meeting={meeting.pk}")
    )
    assert "guest entries are no longer taken" in response.content.decode()


def test_meeting_of_another_championship_is_404(window, team):
    other = make_window()
    meeting = other.championship.meetings.get()
    response = entrant_client(manager_of(team)).get(
        _apply_url(team, window, f"meeting={meeting.pk}")
    )
    assert response.status_code == 404


def test_two_cars_applied_and_references_shown(window, team, paddock_upload_root, mailoutbox):
    client = entrant_client(manager_of(team))
    data = _post_data(window, [_car(window, 0), _car(window, 1)])
    response = client.post(_apply_url(team, window), data, REMOTE_ADDR="198.51.100.23")
    assert response.status_code == 302
    assert response.url == reverse("paddock:applications", kwargs={"team": team.pk})
    applications = list(EntryApplication.objects.order_by("car_number"))
    assert [a.car_number for a in applications] == [55, 56]
    first = applications[0]
    assert first.declared_from == "198.51.100.23"
    assert first.declared_name == "Tan Wei Ming"
    assert first.regulations_version == "2027-1"
    assert first.language == "en"
    assert len(_files(paddock_upload_root)) == 4
    page = client.get(response.url).content.decode()
    assert first.reference in page and applications[1].reference in page
    assert len(mailoutbox) == 1


def test_application_in_chinese_records_its_language(window, team):
    client = entrant_client(manager_of(team))
    url = "/zh-hans" + _apply_url(team, window)
    assert client.post(url, _post_data(window)).status_code == 302
    assert EntryApplication.objects.get().language == "zh-hans"


def test_forged_pdf_refused_and_nothing_stored(window, team, paddock_upload_root):
    forged = pdf_file("licence.pdf", b"just some text, renamed to .pdf\n")
    data = _post_data(window, [_car(window, licence_file=forged)])
    response = entrant_client(manager_of(team)).post(_apply_url(team, window), data)
    assert response.status_code == 200
    assert "This file is not a PDF, JPEG or PNG" in response.content.decode()
    _nothing_stored(paddock_upload_root)


def test_truncated_png_photo_refused_and_nothing_stored(window, team, paddock_upload_root):
    truncated = png_file("photo.png", image_bytes("PNG")[:60])
    data = _post_data(window, [_car(window, photo=truncated)])
    response = entrant_client(manager_of(team)).post(_apply_url(team, window), data)
    assert response.status_code == 200
    assert "This file is not a JPEG or PNG image" in response.content.decode()
    _nothing_stored(paddock_upload_root)


def test_forged_file_in_second_car_refuses_both(window, team, paddock_upload_root):
    forged = pdf_file("medical.pdf", b"MZ\x90\x00 not a pdf")
    cars = [_car(window, 0), _car(window, 1, medical_file=forged)]
    response = entrant_client(manager_of(team)).post(
        _apply_url(team, window), _post_data(window, cars)
    )
    assert response.status_code == 200
    _nothing_stored(paddock_upload_root)


def test_new_driver_needs_licence_and_medical(window, team, paddock_upload_root):
    car = _car(window)
    del car["car-0-licence_file"], car["car-0-medical_file"]
    response = entrant_client(manager_of(team)).post(
        _apply_url(team, window), _post_data(window, [car])
    )
    assert response.content.decode().count("Required for a new driver.") == 2
    _nothing_stored(paddock_upload_root)


@pytest.mark.parametrize(
    ("born", "message"),
    [
        (timezone.localdate() + dt.timedelta(days=1), "The date of birth must be in the past."),
        (timezone.localdate(), "The date of birth must be in the past."),
        (dt.date(1901, 3, 3), "Check the date of birth: the year looks wrong."),
    ],
    ids=["tomorrow", "today", "a-typo-in-the-year"],
)
def test_new_drivers_birth_date_held_to_the_drivers_rule(
    window, team, paddock_upload_root, born, message
):
    """EntrantDriver.date_of_birth's own validator (validate_birth_date), on the form."""
    data = _post_data(window, [_car(window, date_of_birth=born.isoformat())])
    response = entrant_client(manager_of(team)).post(_apply_url(team, window), data)
    assert response.status_code == 200
    assert response.context["cars"].forms[0].errors["date_of_birth"] == [message]
    assert 'id="id_car-0-date_of_birth_error"' in response.content.decode()
    _nothing_stored(paddock_upload_root)


@pytest.mark.parametrize(
    ("file_field", "missing"),
    [
        ("licence_file", "licence_grade"),
        ("licence_file", "licence_issued_by"),
        ("licence_file", "licence_number"),
        ("licence_file", "licence_expires_on"),
        ("medical_file", "medical_expires_on"),
        ("authorisation_file", "authorisation_expires_on"),
    ],
)
def test_a_document_needs_the_details_of_its_kind(
    window, team, paddock_upload_root, file_field, missing
):
    """The car form requires what KIND_DETAILS lists for each kind, beside its field."""
    car = _car(window, authorisation_file=pdf_file("authorisation.pdf"))
    car["car-0-authorisation_expires_on"] = "2099-12-31"
    del car[f"car-0-{missing}"]
    response = entrant_client(manager_of(team)).post(
        _apply_url(team, window), _post_data(window, [car])
    )
    assert response.context["cars"].forms[0].errors == {missing: ["Required with this document."]}
    _nothing_stored(paddock_upload_root)


def test_every_detail_a_kind_needs_is_a_field_of_the_car_form():
    from paddock.forms import CAR_DOCUMENTS, CarForm
    from paddock.models import DocumentKind
    from paddock.models.documents import KIND_DETAILS

    assert set(CAR_DOCUMENTS) == set(DocumentKind.values)
    for kind, (file_field, prefix) in CAR_DOCUMENTS.items():
        assert file_field in CarForm.base_fields
        for detail in KIND_DETAILS[kind]:
            assert f"{prefix}_{detail}" in CarForm.base_fields


def test_the_car_forms_documents_carry_their_kinds_details(window, team, paddock_upload_root):
    car = _car(window, photo=png_file("photo.png"))
    response = entrant_client(manager_of(team)).post(
        _apply_url(team, window), _post_data(window, [car])
    )
    assert response.status_code == 302
    stored = {d.kind: d for d in DriverDocument.objects.all()}
    licence, medical, photo = stored["LICENCE"], stored["MEDICAL"], stored["PHOTO"]
    assert (licence.grade, licence.issued_by, licence.number) == ("National A", "AAM", "L-1")
    assert licence.expires_on == dt.date(2099, 12, 31)
    assert (medical.grade, medical.expires_on) == ("", dt.date(2099, 12, 31))
    assert (photo.grade, photo.number, photo.expires_on) == ("", "", None)


def test_a_draft_seasons_window_shows_the_closed_page(team):
    """The one rule of an open window (services.applications.window_problems): the season
    published too, on the page as in the submission."""
    window = make_window()
    window.championship.status = "draft"
    window.championship.save(update_fields=["status"])
    response = entrant_client(manager_of(team)).post(_apply_url(team, window), _post_data(window))
    assert "Entries closed" in response.content.decode()
    assert not EntryApplication.objects.exists()


def test_taken_number_refused_on_the_page(window, team, paddock_upload_root):
    make_entry(window.championship, 55)
    response = entrant_client(manager_of(team)).post(_apply_url(team, window), _post_data(window))
    assert response.status_code == 200
    assert "Car 1 (#55): number 55 is taken in this championship." in response.content.decode()
    _nothing_stored(paddock_upload_root)


def test_existing_driver_without_new_documents(window, team):
    from tests.paddock.factories import make_document

    driver = make_entrant_driver(team, "Bo", last_name="Chen")
    make_document(driver, "LICENCE")
    make_document(driver, "MEDICAL")
    car = {
        key: value
        for key, value in _car(window, driver=str(driver.pk), first_name="").items()
        if not key.endswith(("_file", "last_name", "date_of_birth", "nationality", "email"))
    }
    response = entrant_client(manager_of(team)).post(
        _apply_url(team, window), _post_data(window, [car])
    )
    assert response.status_code == 302
    assert EntryApplication.objects.get().driver == driver


def test_regulations_must_be_accepted(window, team, paddock_upload_root):
    data = _post_data(window)
    del data["regulations_accepted"]
    response = entrant_client(manager_of(team)).post(_apply_url(team, window), data)
    assert "You must accept the regulations to apply." in response.content.decode()
    _nothing_stored(paddock_upload_root)


def test_seat_field_only_when_seats_offered(team):
    window = make_window(seat_season_price=Decimal("90000"))
    page = entrant_client(manager_of(team)).get(_apply_url(team, window)).content.decode()
    assert "Arrive-and-drive seat, full season" in page
    plain = make_window()
    page = entrant_client(manager_of(team)).get(_apply_url(team, plain)).content.decode()
    assert "Arrive-and-drive seat, full season" not in page


def test_rate_limit_answers_429(window, team, settings, paddock_upload_root):
    settings.PADDOCK_APPLICATION_RATE_LIMIT = "1/h"
    client = entrant_client(manager_of(team))
    bad = _post_data(window)
    del bad["regulations_accepted"]
    assert client.post(_apply_url(team, window), bad).status_code == 200
    response = client.post(_apply_url(team, window), _post_data(window))
    assert response.status_code == 429
    assert "Too many application forms" in response.content.decode()
    _nothing_stored(paddock_upload_root)


# --- The team's applications -----------------------------------------------------------------


def test_applications_list_queries_do_not_grow(window, team, django_assert_num_queries):
    client = entrant_client(manager_of(team))
    url = reverse("paddock:applications", kwargs={"team": team.pk})
    make_application(window, team)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for _ in range(3):
        make_application(window, team)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("/paddock/applications/") == 4


def test_applications_list_shows_only_the_team(window, team):
    mine = make_application(window, team)
    theirs = make_application(window, make_entrant_team())
    page = (
        entrant_client(manager_of(team))
        .get(reverse("paddock:applications", kwargs={"team": team.pk}))
        .content.decode()
    )
    assert mine.reference in page and theirs.reference not in page


def test_another_teams_applications_list_is_404(window, team):
    intruder = make_entrant_team()
    url = reverse("paddock:applications", kwargs={"team": team.pk})
    assert entrant_client(manager_of(intruder)).get(url).status_code == 404


def test_application_detail_shows_steps_and_fees(window, team):
    application = make_application(window, team, status=ApplicationStatus.APPROVED)
    application.events.create(status=ApplicationStatus.APPROVED, note="Welcome aboard")
    Fee.objects.create(
        application=application,
        kind=FeeKind.SEASON,
        amount=Decimal("50000"),
        currency="USD",
        status=PaymentStatus.PAID,
        paid_on=dt.date(2026, 11, 2),
        invoice_number="INV-77",
    )
    url = reverse("paddock:application", kwargs={"pk": application.pk})
    page = entrant_client(manager_of(team)).get(url).content.decode()
    for text in ("Welcome aboard", "Season entry fee", "50000.00 USD", "INV-77", "Approved"):
        assert text in page
    assert "Withdraw this application" not in page


def test_another_teams_application_is_404(window, team):
    application = make_application(window, team)
    intruder = make_entrant_team()
    client = entrant_client(manager_of(intruder))
    assert (
        client.get(reverse("paddock:application", kwargs={"pk": application.pk})).status_code == 404
    )
    withdraw = reverse("paddock:application-withdraw", kwargs={"pk": application.pk})
    assert client.post(withdraw).status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_manager_withdraws_a_submitted_application(window, team):
    application = make_application(window, team)
    client = entrant_client(manager_of(team))
    detail = reverse("paddock:application", kwargs={"pk": application.pk})
    assert "Withdraw this application" in client.get(detail).content.decode()
    response = client.post(reverse("paddock:application-withdraw", kwargs={"pk": application.pk}))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert application.events.get().by == manager_of(team)


def test_driver_sees_own_application_but_cannot_withdraw(window, team):
    account = make_account()
    driver = make_entrant_driver(team, user=account)
    application = make_application(window, team, driver=driver)
    client = entrant_client(account)
    page = client.get(reverse("paddock:application", kwargs={"pk": application.pk}))
    assert page.status_code == 200
    assert "Withdraw this application" not in page.content.decode()
    withdraw = reverse("paddock:application-withdraw", kwargs={"pk": application.pk})
    assert client.post(withdraw).status_code == 404
