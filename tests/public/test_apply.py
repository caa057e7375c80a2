"""The public application form: every rule, with nothing stored when anything is wrong."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from talentpool.models import Application, RacingRecord, StatusChange
from tests.factories import (
    CONTRACT_LABELS,
    PDF,
    documents,
    form_data,
    image_bytes,
    jpeg_file,
    make_edition,
    minor_guardian,
    pdf_file,
    png_file,
    stored_files,
    submit,
)

# Every test stores documents under its own temporary folder, never the configured one.
pytestmark = pytest.mark.usefixtures("upload_root")

APPLY = "/talent-pool/apply/"


def post(client, data=None, files=None, **extra):
    return client.post(APPLY, {**form_data(**(data or {})), **documents(**(files or {}))}, **extra)


def assert_nothing_stored(upload_root):
    """No application, and no document but those kept for the next try (talentpool.kept)."""
    assert Application.objects.count() == 0
    assert RacingRecord.objects.count() == 0
    assert StatusChange.objects.count() == 0
    assert [p for p in stored_files(upload_root) if p.parent.name != "pending"] == []


def field_errors(response, field: str) -> list[str]:
    return response.context["form"].errors.get(field, [])


# --- The page ------------------------------------------------------------------------------


def test_every_contract_label_is_a_visible_label_of_its_field(client, edition):
    html = client.get(APPLY).content.decode()

    labels = re.findall(r'<label for="(id_[\w-]+)">([^<]+)</label>', html)
    texts = {text for _, text in labels}
    assert set(CONTRACT_LABELS) <= texts
    for field_id, _ in labels:
        assert f'id="{field_id}"' in html


def test_the_form_has_csrf_protection_and_a_honeypot(client, edition):
    html = client.get(APPLY).content.decode()

    assert 'name="csrfmiddlewaretoken"' in html
    assert 'class="tp-hp" aria-hidden="true"' in html and 'name="website"' in html
    csrf_client = Client(enforce_csrf_checks=True)
    assert csrf_client.post(APPLY, form_data()).status_code == 403


def test_the_form_page_has_no_inline_script_or_style(client, edition):
    html = client.get(APPLY).content.decode()

    assert "<style" not in html and " style=" not in html
    assert not re.search(r"<script(?![^>]*\ssrc=)", html)


def test_a_closed_window_shows_a_closed_page_and_takes_nothing(client, db, upload_root):
    now = timezone.now()
    make_edition(opens_at=now - dt.timedelta(days=40), closes_at=now - dt.timedelta(days=1))

    page = client.get(APPLY)
    posted = post(client)

    assert "Applications are closed" in page.content.decode()
    assert "closed on" in page.content.decode()
    assert "<form" not in posted.content.decode().split("<main")[1].split("status")[0]
    assert_nothing_stored(upload_root)


def test_an_edition_yet_to_open_says_when_it_opens(client, db):
    now = timezone.now()
    make_edition(opens_at=now + dt.timedelta(days=3), closes_at=now + dt.timedelta(days=30))

    assert "open on" in client.get(APPLY).content.decode()


# --- A complete application ----------------------------------------------------------------


def test_a_complete_application_is_stored_with_its_documents_and_confirmed(
    client, edition, upload_root, mailoutbox
):
    response = post(client, follow=True)

    application = Application.objects.get()
    assert response.redirect_chain == [("/talent-pool/apply/thanks/", 302)]
    # The page shows no reference (a second application by the same person gets the same
    # page); the email brings it.
    assert application.reference not in response.content.decode()
    assert application.email == "mei.tan@example.com"
    assert application.status == "submitted" and not application.minor
    assert list(application.racing_record.values_list("year", "series", "position", "wins")) == [
        (2025, "Rotax Max Challenge Malaysia", 1, 4)
    ]
    change = application.status_changes.get()
    assert (change.to_status, change.changed_by) == ("submitted", None)
    assert len(stored_files(upload_root)) == 3
    assert application.cv.name.endswith(".pdf") and application.photo.name.endswith(".png")
    assert application.licence_scan.name.endswith(".jpg")
    (mail,) = mailoutbox
    assert mail.to == ["mei.tan@example.com"]
    assert application.reference in mail.subject and application.reference in mail.body
    assert "http://testserver/talent-pool/status/" in mail.body


def test_the_applicant_file_names_are_not_kept(client, edition, upload_root):
    post(client, files={"cv": pdf_file("Mei Tan passport 123.pdf")})

    assert not any("passport" in p.name for p in stored_files(upload_root))


def test_a_file_is_judged_by_its_content_not_its_name(client, edition, upload_root):
    response = post(client, files={"photo": png_file("photo.pdf"), "cv": pdf_file("cv.txt")})

    assert response.status_code == 302
    assert Application.objects.get().photo.name.endswith(".png")


def test_the_chinese_form_stores_an_application_in_chinese(client, edition, mailoutbox):
    response = client.post(
        "/zh-hans/talent-pool/apply/", {**form_data(), **documents()}, follow=True
    )

    assert response.redirect_chain[-1][0] == "/zh-hans/talent-pool/apply/thanks/"
    assert Application.objects.get().language == "zh-hans"


# --- Refusals: each shows beside its field and stores nothing -------------------------------


@pytest.mark.parametrize("born", ["2011-01-01", "1999-12-31"])
def test_an_applicant_outside_the_age_limits_is_refused(client, edition, upload_root, born):
    response = post(client, {"date_of_birth": born})

    (error,) = field_errors(response, "date_of_birth")
    assert "aged 16 to 26 on Dec. 31, 2026" in error
    assert "born between Jan. 1, 2000 and Dec. 31, 2010" in error
    assert_nothing_stored(upload_root)


@pytest.mark.parametrize("born", ["2010-12-31", "2000-01-01"])
def test_applicants_on_each_age_limit_are_accepted(client, edition, born):
    data = {"date_of_birth": born, **(minor_guardian(date_of_birth=born) if born > "2008" else {})}

    assert post(client, data).status_code == 302


def test_a_leap_day_birthday_is_refused_until_the_first_of_march(client, db, upload_root):
    make_edition(reference_date=dt.date(2027, 2, 28))
    too_old_on_1_march = post(client, {"date_of_birth": "2000-02-29"})

    assert too_old_on_1_march.status_code == 302  # 26 on 28 February 2027


def test_a_leap_day_birthday_is_27_on_the_first_of_march(client, db, upload_root):
    make_edition(reference_date=dt.date(2027, 3, 1))

    response = post(client, {"date_of_birth": "2000-02-29"})

    assert "you will be 27" in field_errors(response, "date_of_birth")[0]
    assert_nothing_stored(upload_root)


def test_a_minor_without_guardian_consent_is_refused(client, edition, upload_root):
    response = post(client, minor_guardian(guardian_consent=None))

    assert field_errors(response, "guardian_consent") == [
        "Applicants under 18 need their guardian's consent to apply."
    ]
    assert_nothing_stored(upload_root)


def test_a_minor_without_guardian_details_is_refused_beside_each_field(
    client, edition, upload_root
):
    response = post(client, {"date_of_birth": "2010-03-01"})

    assert field_errors(response, "guardian_name")
    assert field_errors(response, "guardian_email")
    assert field_errors(response, "guardian_consent")
    assert_nothing_stored(upload_root)


def test_a_minor_with_guardian_consent_is_accepted_and_the_guardian_is_copied(
    client, edition, mailoutbox
):
    assert post(client, minor_guardian()).status_code == 302

    application = Application.objects.get()
    assert application.minor and application.guardian_consent
    assert mailoutbox[0].to == ["mei.tan@example.com", "siew.tan@example.com"]


def test_a_leap_day_minor_needs_a_guardian_until_the_first_of_march(client, db, upload_root):
    make_edition(reference_date=dt.date(2026, 2, 28))

    response = post(client, {"date_of_birth": "2008-02-29"})

    assert field_errors(response, "guardian_consent")
    assert_nothing_stored(upload_root)


def test_an_adult_guardian_fields_are_not_kept(client, edition):
    post(client, {"guardian_name": "Someone", "guardian_email": "g@example.com"})

    application = Application.objects.get()
    assert (application.guardian_name, application.guardian_email) == ("", "")


def test_without_data_consent_nothing_is_stored(client, edition, upload_root):
    response = post(client, {"data_consent": None})

    assert field_errors(response, "data_consent") == [
        "You must agree to the processing of your data to apply."
    ]
    assert_nothing_stored(upload_root)


def answer(response) -> tuple[int, list, bytes]:
    """What the visitor sees of a submission: the redirects and the final page, as bytes."""
    return response.status_code, response.redirect_chain, response.content


def test_a_second_application_with_the_same_email_is_answered_as_a_fresh_one(
    client, edition, upload_root, mailoutbox
):
    fresh = post(client, {"email": "first@example.com"}, follow=True)
    post(client, {"first_name": "Ling", "email": "mei.tan@example.com"})
    existing = Application.objects.get(email="mei.tan@example.com")
    files_before, mailoutbox[:] = stored_files(upload_root), []

    second = post(client, {"first_name": "Other", "email": "MEI.TAN@example.com "}, follow=True)

    assert answer(second) == answer(fresh)
    assert Application.objects.count() == 2
    assert stored_files(upload_root) == files_before
    (mail,) = mailoutbox
    assert mail.to == ["mei.tan@example.com"]
    assert existing.reference in mail.subject and "was not stored" in mail.body


def test_a_second_application_by_the_same_name_and_birthday_is_answered_as_a_fresh_one(
    client, edition, upload_root, mailoutbox
):
    existing = submit(edition)
    fresh = post(
        client, {"email": "new@example.com", "first_name": "Wei", "last_name": "Lim"}, follow=True
    )
    files_before, mailoutbox[:] = stored_files(upload_root), []

    response = post(
        client,
        {"email": "someone.else@example.com", "first_name": "MEI", "last_name": "tan"},
        follow=True,
    )

    assert answer(response) == answer(fresh)
    assert Application.objects.count() == 2
    assert stored_files(upload_root) == files_before
    # The explanation goes to the address on file, never to the address typed in the form.
    (mail,) = mailoutbox
    assert mail.to == [existing.email] == ["mei.tan@example.com"]
    assert existing.reference in mail.body


def test_a_minor_on_file_is_told_with_their_guardian_in_their_language(client, edition, mailoutbox):
    existing = submit(
        edition,
        date_of_birth=dt.date(2010, 3, 1),
        guardian_name="Siew Lan Tan",
        guardian_email="siew.tan@example.com",
        guardian_consent=True,
    )
    Application.objects.filter(pk=existing.pk).update(language="zh-hans")
    mailoutbox[:] = []

    post(client, {**minor_guardian(), "email": "mei.tan@example.com"})

    (mail,) = mailoutbox
    assert mail.to == ["mei.tan@example.com", "siew.tan@example.com"]
    assert existing.reference in mail.subject
    assert "Dear" not in mail.body


def test_the_same_person_may_apply_to_another_edition(client, db):
    old = make_edition(
        year=2025,
        opens_at=timezone.now() - dt.timedelta(days=400),
        closes_at=timezone.now() - dt.timedelta(days=300),
    )
    submit(old)
    make_edition()

    assert post(client).status_code == 302


BIG = PDF + b"0" * (5 * 1024 * 1024)


@pytest.mark.parametrize(
    ("field", "upload", "message"),
    [
        ("cv", pdf_file(content=BIG), "the limit is 5 MB"),
        ("cv", pdf_file(content=b""), "is empty"),
        ("cv", png_file("cv.pdf"), "not a PDF"),
        ("cv", pdf_file(content=b"MZ\x90\x00 not a pdf at all"), "not a PDF"),
        ("licence_scan", pdf_file("scan.pdf", b"GIF89a..."), "not a PDF, JPEG or PNG"),
        ("photo", pdf_file("photo.jpg"), "not a JPEG or PNG"),
        ("photo", png_file(content=image_bytes("PNG")[:40]), "not a JPEG or PNG"),
        ("photo", jpeg_file(content=b"\xff\xd8\xff\xe0 truncated"), "not a JPEG or PNG"),
    ],
    ids=[
        "too-large",
        "empty",
        "png-as-pdf",
        "exe-as-pdf",
        "gif-scan",
        "pdf-photo",
        "truncated-png",
        "fake-jpeg",
    ],
)
def test_each_file_rule_refuses_and_stores_nothing(
    client, edition, upload_root, field, upload, message
):
    response = post(client, files={field: upload})

    (error,) = field_errors(response, field)
    assert message in error
    assert_nothing_stored(upload_root)


def test_a_file_of_exactly_5_mb_is_accepted(client, edition):
    exact = PDF + b"0" * (5 * 1024 * 1024 - len(PDF))

    assert post(client, files={"cv": pdf_file(content=exact)}).status_code == 302


def test_a_missing_document_is_refused_beside_its_field(client, edition, upload_root):
    data = {**form_data(), **documents()}
    del data["photo"]

    response = client.post(APPLY, data)

    assert field_errors(response, "photo") == ["This field is required."]
    assert_nothing_stored(upload_root)


def test_a_racing_record_row_in_the_future_is_refused(client, edition, upload_root):
    response = post(client, {"record-1-year": "2031", "record-1-series": "Future Cup"})

    assert response.context["records"].errors[1]["year"] == ["Give seasons up to 2026."]
    assert_nothing_stored(upload_root)


def test_errors_are_rendered_beside_their_fields(client, edition):
    html = post(client, {"date_of_birth": "2012-01-01"}).content.decode()

    block = html.split('<label for="id_date_of_birth">')[1].split('<div class="tp-field')[0]
    assert 'id="id_date_of_birth_error"' in block
    assert 'aria-invalid="true"' in block
    assert 'aria-describedby="id_date_of_birth_error"' in block
    assert "Your application was not sent" in html


def test_the_honeypot_refuses_robots_and_stores_nothing(client, edition, upload_root):
    response = post(client, {"website": "http://spam.example"})

    assert response.context["form"].non_field_errors() == [
        "This application could not be accepted."
    ]
    assert_nothing_stored(upload_root)


def test_over_the_rate_limit_the_visitor_is_told_and_nothing_is_stored(
    client, edition, upload_root, settings
):
    settings.TALENTPOOL_RATE_LIMIT = "2/h"
    post(client, {"email": "one@example.com", "first_name": "One"})
    post(client, {"email": "two@example.com", "first_name": "Two"})
    before = stored_files(upload_root)

    response = post(client, {"email": "three@example.com", "first_name": "Three"})

    assert response.status_code == 429
    assert "Too many applications have been sent from your network address" in (
        response.content.decode()
    )
    assert Application.objects.count() == 2
    assert stored_files(upload_root) == before


def test_refused_submissions_do_not_count_against_the_rate_limit(client, edition, settings):
    # Issue 14.13: five tries, three refused for a mistake, locked an applicant out.
    settings.TALENTPOOL_RATE_LIMIT = "2/h"
    for _ in range(3):
        assert post(client, {"phone": "call me"}).status_code == 200
    post(client, {"email": "one@example.com", "first_name": "One"})

    response = post(client, {"email": "two@example.com", "first_name": "Two"})

    assert response.status_code == 302
    assert Application.objects.count() == 2


def test_every_attempt_counts_against_the_looser_attempt_limit(
    client, edition, settings, upload_root
):
    settings.TALENTPOOL_ATTEMPT_RATE_LIMIT = "3/h"
    for _ in range(3):
        post(client, {"phone": "call me"})

    response = post(client)

    assert response.status_code == 429
    assert_nothing_stored(upload_root)


def test_an_application_by_someone_who_applied_counts_as_a_received_one(client, edition, settings):
    # Otherwise the limit would tell a stored application from a duplicate.
    settings.TALENTPOOL_RATE_LIMIT = "2/h"
    submit(edition)
    post(client)  # the same person again: not stored, but counted
    post(client, {"email": "one@example.com", "first_name": "One"})

    assert post(client, {"email": "two@example.com", "first_name": "Two"}).status_code == 429


def test_the_rate_limit_is_per_address(client, edition, settings):
    settings.TALENTPOOL_RATE_LIMIT = "1/h"
    post(client, {"email": "one@example.com"}, REMOTE_ADDR="10.0.0.1")

    assert post(client, REMOTE_ADDR="10.0.0.2").status_code == 302


def test_behind_a_proxy_the_rate_limit_counts_each_forwarded_address(client, edition, settings):
    settings.TALENTPOOL_RATE_LIMIT = "1/h"
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}  # API_NUM_PROXIES=1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    post(client, {"email": "one@example.com"}, **proxy, HTTP_X_FORWARDED_FOR="203.0.113.7")

    other = post(client, **proxy, HTTP_X_FORWARDED_FOR="198.51.100.20")
    again = post(client, {"email": "x@example.com"}, **proxy, HTTP_X_FORWARDED_FOR="203.0.113.7")

    assert other.status_code == 302
    assert again.status_code == 429


def test_without_proxies_the_rate_limit_counts_the_peer_address(client, edition, settings):
    settings.TALENTPOOL_RATE_LIMIT = "1/h"
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 0}  # API_NUM_PROXIES=0
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    post(client, {"email": "one@example.com"}, **proxy, HTTP_X_FORWARDED_FOR="203.0.113.7")

    response = post(client, **proxy, HTTP_X_FORWARDED_FOR="198.51.100.20")

    assert response.status_code == 429


def test_a_database_refusal_after_validation_removes_the_written_files(
    client, edition, upload_root, monkeypatch, mailoutbox
):
    # Two identical submissions racing each other: the second passes the service's check, and
    # the unique constraint refuses it after its files were written.
    post(client)
    before, mailoutbox[:] = stored_files(upload_root), []
    monkeypatch.setattr("talentpool.services._application_on_file", lambda e, a: None)

    response = post(client)

    assert response.status_code == 302
    assert Application.objects.count() == 1
    assert stored_files(upload_root) == before
