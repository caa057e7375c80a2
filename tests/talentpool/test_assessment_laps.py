"""The assessment day's laps: each session's lap export read as a race's, its car numbers the
applicants', refused by line and column, replacing the session's laps; reviewers see an
applicant's laps (best lap and rank) beside the rubric, and nobody else does."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from talentpool.assessment import AssessmentLapsError, applicant_laps, assessment_laps_import
from talentpool.models import AssessmentCar, AssessmentLap, AssessmentSession, Review
from tests.factories import make_edition, make_staff, role_client, submit

LAPS = (
    "NUMBER;LAP_NUMBER;LAP_TIME;CROSSING_FINISH_LINE_IN_PIT\n"
    "21;1;2'14.000;\n21;2;2'10.500;\n21;3;2'30.000;B\n"
    "22;1;2'12.000;\n22;2;2'11.000;\n"
)


@pytest.fixture
def day(db):
    edition = make_edition()
    mei = submit(edition)
    ravi = submit(edition, first_name="Ravi", email="ravi@example.com", licence_number="MY-2")
    session = AssessmentSession.objects.create(
        edition=edition,
        name="Day 1, session 1",
        starts_at=dt.datetime(2026, 12, 8, 2, 0, tzinfo=dt.UTC),
    )
    AssessmentCar.objects.create(session=session, number=21, application=mei)
    AssessmentCar.objects.create(session=session, number=22, application=ravi)
    return {"session": session, "mei": mei, "ravi": ravi}


def test_a_dry_run_lists_each_applicants_laps_fastest_first_and_writes_nothing(day):
    diff = assessment_laps_import(session=day["session"], source=LAPS, dry_run=True)

    assert [(a.car_number, a.laps, a.best) for a in diff.applicants] == [
        (21, 3, dt.timedelta(seconds=130.5)),
        (22, 2, dt.timedelta(seconds=131)),
    ]
    assert not AssessmentLap.objects.exists()


def test_applied_the_laps_are_the_applicants_and_replace_the_sessions(day):
    assessment_laps_import(session=day["session"], source=LAPS, dry_run=False)
    again = assessment_laps_import(session=day["session"], source=LAPS, dry_run=False)

    assert again.replaced == 5 and AssessmentLap.objects.count() == 5
    assert day["mei"].assessment_laps.filter(pit=True).get().number == 3


def test_a_car_without_an_applicant_and_a_bad_line_are_refused_by_line_and_column(day):
    text = LAPS + "23;1;2'15.000;\n22;4;2'11.000;\n"

    with pytest.raises(AssessmentLapsError) as refused:
        assessment_laps_import(session=day["session"], source=text, dry_run=False)

    found = {(issue.line, issue.column): issue.message for issue in refused.value.issues}
    assert "car 23 has no applicant in this session" in found[7, "NUMBER"]
    assert "car 22 has lap 4 but no lap 3" in found[8, "LAP_NUMBER"]
    assert not AssessmentLap.objects.exists()


def test_an_applicants_laps_give_the_best_and_its_rank_in_each_session(day):
    assessment_laps_import(session=day["session"], source=LAPS, dry_run=False)

    [mei] = applicant_laps(day["mei"])
    [ravi] = applicant_laps(day["ravi"])

    assert (mei.best, mei.rank, mei.of, len(mei.laps)) == (dt.timedelta(seconds=130.5), 1, 2, 3)
    assert (ravi.rank, ravi.of) == (2, 2)


def test_one_car_number_and_one_car_each_per_session(day):
    with pytest.raises(IntegrityError):
        AssessmentCar.objects.create(session=day["session"], number=21, application=day["ravi"])


def test_reviewers_see_the_laps_beside_the_rubric_and_on_the_application(client, day):
    assessment_laps_import(session=day["session"], source=LAPS, dry_run=False)
    role_client(client, "Talent Pool reviewer", name="reviewer")
    review = Review.objects.create(
        application=day["mei"], reviewer=make_staff("other-reviewer"), lap_times=8
    )

    rubric = client.get(f"/admin/talentpool/review/{review.pk}/change/").content.decode()
    application = client.get(
        f"/admin/talentpool/application/{day['mei'].pk}/change/"
    ).content.decode()

    for page in (rubric, application):
        assert "Day 1, session 1: best lap 2:10.500, 1 of 2 applicants" in page
        assert "2:30.000" in page


def test_a_reviewer_uploads_a_sessions_laps_checked_then_applied(client, day):
    role_client(client, "Talent Pool reviewer", name="reviewer")
    url = f"/admin/talentpool/assessmentsession/{day['session'].pk}/import-laps/"

    checked = client.post(url, {"laps": SimpleUploadedFile("day1.csv", LAPS.encode())})
    assert 'id="laps-per-applicant"' in checked.content.decode()
    applied = client.post(url, {"token": checked.context["token"], "apply": "1"})

    assert applied.status_code == 302 and AssessmentLap.objects.count() == 5


def test_staff_who_are_not_reviewers_see_no_assessment(client, day):
    role_client(client, "Series manager", name="manager")

    assert client.get("/admin/talentpool/assessmentsession/").status_code == 403
    url = f"/admin/talentpool/assessmentsession/{day['session'].pk}/import-laps/"
    assert client.get(url).status_code == 403


def test_the_sessions_list_counts_cars_in_one_query_however_many_sessions(client, day):
    role_client(client, "Talent Pool reviewer", name="reviewer")
    client.get("/admin/talentpool/assessmentsession/")
    for n in range(2, 8):
        AssessmentSession.objects.create(
            edition=day["session"].edition,
            name=f"Day 1, session {n}",
            starts_at=dt.datetime(2026, 12, 8, 2 + n, 0, tzinfo=dt.UTC),
        )

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as seven:
        page = client.get("/admin/talentpool/assessmentsession/").content.decode()
    AssessmentSession.objects.filter(name__endswith="7").delete()
    with CaptureQueriesContext(connection) as six:
        client.get("/admin/talentpool/assessmentsession/")

    assert len(seven) == len(six) and "Day 1, session 7" in page
