"""The status look-up: reference and email show the status, and nothing else."""

import pytest

from talentpool.services import application_transition

# Every test stores documents under its own temporary folder, never the configured one.
pytestmark = pytest.mark.usefixtures("upload_root")

STATUS = "/talent-pool/status/"


def test_reference_and_email_show_the_status_and_nothing_else(client, application):
    html = client.post(
        STATUS, {"reference": application.reference.lower(), "email": " MEI.TAN@example.com"}
    ).content.decode()

    assert "Submitted" in html and application.reference in html
    for private in ("Tan", "+60", "MY-1", "Speed", "2004"):
        assert private not in html


def test_the_status_follows_the_selection(client, application, django_user_model):
    reviewer = django_user_model.objects.create_user("rev")
    application_transition(application=application, to_status="under_review", by=reviewer)

    html = client.post(
        STATUS, {"reference": application.reference, "email": application.email}
    ).content.decode()

    assert "Under review" in html


@pytest.mark.parametrize(
    "data",
    [
        {"reference": "TP26-0000-0000", "email": "mei.tan@example.com"},
        {"reference": "REF", "email": "someone@example.com"},
    ],
)
def test_a_wrong_reference_or_email_shows_no_application(client, application, data):
    if data["reference"] == "REF":
        data["reference"] = application.reference

    html = client.post(STATUS, data).content.decode()

    assert "No application matches this reference and email." in html
    assert "Submitted" not in html


def test_the_look_up_is_rate_limited(client, application, settings):
    settings.TALENTPOOL_RATE_LIMIT = "1/h"
    client.post(STATUS, {"reference": "x", "email": "a@example.com"})

    response = client.post(STATUS, {"reference": application.reference, "email": application.email})

    assert response.status_code == 429
    assert "Submitted" not in response.content.decode()


def test_the_status_page_asks_with_visible_labels(client, db):
    html = client.get(STATUS).content.decode()

    assert '<label for="id_reference">Reference</label>' in html
    assert '<label for="id_email">Email</label>' in html
