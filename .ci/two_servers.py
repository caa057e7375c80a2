"""The checks of .ci/two-servers: two app servers (A, B) behind a round-robin proxy (P), on one
database, one Redis and one object store, with a worker. Each check says what it shows; the
first that fails stops the run with a message naming it."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cupmanager.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from championships.models import Championship, Penalty, Race  # noqa: E402
from core.models import CheckedUpload, FailedTask  # noqa: E402
from tests.factories import EXAMPLE_SEASON, zip_of  # noqa: E402

A = f"http://127.0.0.1:{os.environ['TWO_SERVERS_A']}"
B = f"http://127.0.0.1:{os.environ['TWO_SERVERS_B']}"
P = f"http://127.0.0.1:{os.environ['TWO_SERVERS_PROXY']}"
IMPORT = "/admin/championships/championship/import-bundle/"
PASSWORD = "two-servers-pw-1"


def ok(what: str) -> None:
    print(f"  ok: {what}", flush=True)


def fail(what: str) -> None:
    print(f"two-servers: FAILED: {what}", file=sys.stderr, flush=True)
    sys.exit(1)


def csrf(session: requests.Session, base: str, path: str) -> str:
    session.get(base + path, timeout=30)
    return session.cookies.get("csrftoken", "")


def login(session: requests.Session, base: str, username: str, password: str) -> requests.Response:
    token = csrf(session, base, "/admin/login/")
    return session.post(
        base + "/admin/login/?next=/admin/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": base + "/admin/login/"},
        allow_redirects=False,
        timeout=30,
    )


def bundle_check(
    session: requests.Session, base: str, data: bytes, *, replace: bool = False
) -> requests.Response:
    token = csrf(session, base, IMPORT)
    fields = {
        "preview": "1",
        "csrfmiddlewaretoken": token,
        **({"replace": "on"} if replace else {}),
    }
    return session.post(
        base + IMPORT,
        data=fields,
        files={"bundle": ("pcca-2024.zip", data, "application/zip")},
        headers={"Referer": base + IMPORT},
        timeout=120,
    )


def sessions_and_upload(staff: requests.Session, bundle: bytes) -> None:
    if login(staff, A, "chief", PASSWORD).status_code != 302:
        fail("signing in on server A")
    page = staff.get(B + "/admin/", timeout=30)
    if page.status_code != 200 or 'id="logout-form"' not in page.text:
        fail("the session opened on A is not known to B")
    ok("signed in on A, B knows the session")

    checked = bundle_check(staff, A, bundle)
    found = re.search(r'name="token" value="([^"]+)"', checked.text)
    if checked.status_code != 200 or not found:
        fail(f"the season bundle's check on A: {checked.status_code}")
    applied = staff.post(
        B + IMPORT,
        data={
            "token": found.group(1),
            "apply": "1",
            "csrfmiddlewaretoken": staff.cookies["csrftoken"],
        },
        headers={"Referer": B + IMPORT},
        allow_redirects=False,
        timeout=300,
    )
    if applied.status_code != 302 or not Championship.objects.filter(slug="pcca-2024").exists():
        fail(f"the bundle checked on A and applied on B: {applied.status_code}")
    if CheckedUpload.objects.exists():
        fail("the applied upload is still waiting")
    ok("a season bundle checked on A (kept in the object store) applied on B")


def standings_change(api_token: str) -> None:
    url = "/api/v1/championships/pcca-2024/standings/"
    before = {base: requests.get(base + url, timeout=30).json()["rows"] for base in (A, B)}
    leader = before[A][0]
    if before[B][0] != leader:
        fail("A and B disagree on the tables before the change")
    race = Race.objects.filter(meeting__championship__slug="pcca-2024").order_by("pk").first()
    entry_id = race.results.get(entry__car_number=leader["car_number"]).entry_id
    made = requests.post(
        A + "/api/v1/penalties/",
        json={
            "race": race.pk,
            "entry": entry_id,
            "kind": "POINTS",
            "value": 10,
            "reason": "two servers",
        },
        headers={"Authorization": f"Token {api_token}"},
        timeout=60,
    )
    if made.status_code != 201:
        fail(f"a points deduction through A: {made.status_code} {made.text[:300]}")
    seen = {}
    for base in (B, A):
        rows = requests.get(base + url, timeout=30).json()["rows"]
        seen[base] = next(r["points"] for r in rows if r["car_number"] == leader["car_number"])
    if not seen[A] == seen[B] < leader["points"]:
        fail(f"after the deduction the leader has {seen}, before {leader['points']}")
    ok(
        f"a 10-point deduction made through A: #{leader['car_number']} has {seen[B]} points "
        f"(was {leader['points']}) on B and on A at once"
    )


def page_cache() -> None:
    path = "/championships/pcca-2024/"
    # The site's own address, as the proxy passes it on: a page is kept under its address.
    site = {"Host": P.removeprefix("http://")}
    first = requests.get(A + path, headers=site, timeout=30)
    time.sleep(1.2)
    second = requests.get(B + path, headers=site, timeout=30)
    if first.status_code != 200 or "Expires" not in first.headers:
        fail(f"GET {path} on A: {first.status_code}, kept: {'Expires' in first.headers}")
    if second.headers.get("Expires") != first.headers["Expires"]:
        fail("B rendered the page again instead of reading A's copy from the shared cache")
    ok("a page kept by A is served by B from the shared cache")


def rate_limits() -> None:
    statuses = []
    for n in range(60):
        base = (A, B)[n % 2]
        statuses.append(requests.get(f"{base}/api/v1/series/?n={n}", timeout=30).status_code)
        if statuses[-1] == 429:
            break
    if 429 not in statuses or len(statuses) > 41:
        fail(f"the anonymous API limit (40/min) counted apart: {statuses}")
    other = (B, A)[len(statuses) % 2]
    if requests.get(f"{other}/api/v1/series/?n=x", timeout=30).status_code != 429:
        fail("the other server still answers the address its twin throttled")
    ok(f"the API's limit counted across both servers ({len(statuses)} requests, then 429 on both)")


def login_lockout() -> None:
    visitor = requests.Session()
    for base in (A, B, A):
        login(visitor, base, "lockme", "wrong-password")
    locked = login(visitor, B, "lockme", PASSWORD)
    if locked.status_code == 302:
        fail("three failures spread over A and B did not lock the account out")
    ok(f"3 failed logins over A and B lock the right password out on B ({locked.status_code})")


def mail_failure() -> None:
    visitor = requests.Session()
    token = csrf(visitor, A, "/accounts/password/reset/")
    sent = visitor.post(
        A + "/accounts/password/reset/",
        data={"email": "chief@example.com", "csrfmiddlewaretoken": token},
        headers={"Referer": A + "/accounts/password/reset/"},
        allow_redirects=False,
        timeout=30,
    )
    if sent.status_code != 302:
        fail(f"a password reset with the mail server down: {sent.status_code}")
    deadline = time.monotonic() + 60
    while not FailedTask.objects.filter(task="core.queue.email_send").exists():
        if time.monotonic() > deadline:
            fail("the refused e-mail never became a failed task")
        time.sleep(0.5)
    failed = FailedTask.objects.get(task="core.queue.email_send")
    ok(
        f"mail server down: the request answered {sent.status_code}; the worker tried "
        f"{failed.attempts} times, then listed it as failed ({failed.error[:60]})"
    )


def kill_during_load(api_token: str) -> None:
    race = Race.objects.filter(meeting__championship__slug="pcca-2024").order_by("pk").first()
    entry_id = race.results.first().entry_id
    before = Penalty.objects.count()
    made: list[int] = []
    errors: list[str] = []
    stop = time.monotonic() + 6
    lock = threading.Lock()

    def client(k: int) -> None:
        n = 0
        with requests.Session() as s:
            while time.monotonic() < stop:
                n += 1
                try:
                    r = s.post(
                        P + "/api/v1/penalties/",
                        json={
                            "race": race.pk,
                            "entry": entry_id,
                            "kind": "REPRIMAND",
                            "reason": f"load {k}-{n}",
                        },
                        headers={"Authorization": f"Token {api_token}"},
                        timeout=30,
                    )
                except requests.RequestException as error:
                    with lock:
                        errors.append(type(error).__name__)
                    continue
                with lock:
                    if r.status_code == 201:
                        made.append(r.json()["id"])
                    else:
                        errors.append(str(r.status_code))

    threads = [threading.Thread(target=client, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    time.sleep(2)
    os.killpg(int(os.environ["TWO_SERVERS_KILL_PGID"]), signal.SIGKILL)
    killed_at = len(made)
    for t in threads:
        t.join()
    kept = set(Penalty.objects.filter(pk__in=made).values_list("pk", flat=True))
    if kept != set(made):
        fail(f"{len(set(made) - kept)} writes answered 201 are missing")
    if len(errors) > len(threads):
        fail(f"{len(errors)} errors, more than the {len(threads)} requests A could hold: {errors}")
    if len(made) <= killed_at:
        fail("nothing was written after A was killed")
    ok(
        f"A killed during 8 clients' writes: {len(made)} written ({len(made) - killed_at} after), "
        f"all kept ({Penalty.objects.count() - before} rows), {len(errors)} errors {errors}"
    )


def store_down_and_back(staff: requests.Session, bundle: bytes) -> None:
    pidfile = Path(os.environ["TWO_SERVERS_STORE_PIDFILE"])
    os.killpg(int(pidfile.read_text()), signal.SIGKILL)
    time.sleep(1)
    waiting = CheckedUpload.objects.count()
    refused = bundle_check(staff, B, bundle, replace=True)
    home = requests.get(B + "/", timeout=30)
    if (
        refused.status_code != 503
        or "Documents cannot be stored or read just now" not in refused.text
    ):
        fail(f"an upload with the object store down: {refused.status_code}")
    if CheckedUpload.objects.count() != waiting:
        fail("an upload refused for the store's absence left a row")
    if home.status_code != 200:
        fail(f"the home page with the object store down: {home.status_code}")
    ok("object store down: the upload is a 503 saying so, nothing kept; the home page answers")

    store = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/weed"),
            "server",
            f"-dir={os.environ['TWO_SERVERS_STORE_DIR']}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            "-master.port=19334",
            "-master.volumeSizeLimitMB=64",
            "-master.telemetry=false",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            "-volume.port=18081",
            "-filer.port=18889",
            "-s3",
            f"-s3.port={os.environ['TWO_SERVERS_S3']}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    pidfile.write_text(str(store.pid))
    deadline = time.monotonic() + 90
    while True:
        again = bundle_check(staff, B, bundle, replace=True)
        if again.status_code == 200 and 'name="token"' in again.text:
            break
        if time.monotonic() > deadline:
            fail(f"the store back, uploads still fail: {again.status_code}")
        time.sleep(1)
    ok("the object store back: the same upload is checked again, nothing restarted")


def main() -> None:
    users = get_user_model()
    chief = users.objects.create_superuser("chief", "chief@example.com", PASSWORD)
    users.objects.create_superuser("lockme", "lockme@example.com", PASSWORD)
    api_token = Token.objects.create(user=chief).key
    bundle = zip_of(EXAMPLE_SEASON)
    staff = requests.Session()

    sessions_and_upload(staff, bundle)
    standings_change(api_token)
    page_cache()
    rate_limits()
    login_lockout()
    mail_failure()
    store_down_and_back(staff, bundle)
    kill_during_load(api_token)


if __name__ == "__main__":
    main()
