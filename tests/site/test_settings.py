import os
import subprocess
import sys

from tests.factories import PROJECT_DIR

SHOW_DATABASE = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], s.ALLOWED_HOSTS)"
)


def _django_setup(code: str = "import django; django.setup(); print('started')", **env: str):
    """Start Django in a fresh interpreter with only the given DJANGO_/DATABASE_ variables."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "cupmanager.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    proc = _django_setup(DJANGO_DEBUG="false")

    assert proc.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off" in proc.stderr


def test_it_starts_with_a_secret_key_when_debug_is_off():
    proc = _django_setup(DJANGO_DEBUG="false", DJANGO_SECRET_KEY="x" * 50)

    assert proc.returncode == 0, proc.stderr
    assert "started" in proc.stdout


def test_it_rejects_a_debug_value_it_cannot_read():
    proc = _django_setup(DJANGO_DEBUG="maybe")

    assert proc.returncode != 0
    assert "DJANGO_DEBUG must be true or false, got 'maybe'" in proc.stderr


def test_it_reads_the_database_and_allowed_hosts_from_the_environment():
    proc = _django_setup(
        SHOW_DATABASE,
        DATABASE_URL="postgres://cup:cup@db.example:5432/cupdb",
        DJANGO_ALLOWED_HOSTS="cup.example, www.cup.example",
    )

    assert proc.returncode == 0, proc.stderr
    # Django's PostgreSQL backend with a delayed health check (cupmanager/postgresql).
    assert "cupmanager.postgresql cupdb ['cup.example', 'www.cup.example']" in proc.stdout


def test_the_default_database_is_sqlite_at_the_project_root():
    proc = _django_setup(SHOW_DATABASE)

    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split()[:2] == [
        "django.db.backends.sqlite3",
        str(PROJECT_DIR / "db.sqlite3"),
    ]


def test_production_static_files_are_hashed_and_compressed(tmp_path):
    code = "import django; django.setup(); from django.core.management import call_command; "
    code += "call_command('collectstatic', '--noinput', verbosity=0)"
    proc = _django_setup(
        code, DJANGO_DEBUG="false", DJANGO_SECRET_KEY="x" * 50, DJANGO_STATIC_ROOT=str(tmp_path)
    )

    assert proc.returncode == 0, proc.stderr
    hashed = [p.name for p in (tmp_path / "css").glob("site.*.css")]
    assert hashed, "no hashed copy of css/site.css"
    assert (tmp_path / "css" / f"{hashed[0]}.gz").exists()


SHOW_PREPARE = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DATABASES['default']['OPTIONS'].get('prepare_threshold', 'unset'))"
)


def test_postgresql_gives_psycopg_its_prepare_threshold_of_five_by_default():
    proc = _django_setup(SHOW_PREPARE, DATABASE_URL="postgres://cup:cup@db.example:5432/cupdb")

    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "5"


def test_database_prepared_statements_0_turns_them_off_for_a_pooler():
    proc = _django_setup(
        SHOW_PREPARE,
        DATABASE_URL="postgres://cup:cup@db.example:5432/cupdb",
        DATABASE_PREPARED_STATEMENTS="0",
    )

    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "None"


def test_sqlite_has_no_prepare_threshold():
    proc = _django_setup(SHOW_PREPARE)

    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "unset"


SHOW_POOL = (
    "from django.conf import settings as s; d = s.DATABASES['default']; "
    "print(d['OPTIONS'].get('pool', 'unset'), d['CONN_MAX_AGE'])"
)


def test_database_pool_lends_each_process_that_many_connections_and_keeps_none_per_thread():
    proc = _django_setup(
        SHOW_POOL,
        DATABASE_URL="postgres://cup:cup@db.example:5432/cupdb",
        DATABASE_POOL="7",
        DATABASE_CONN_MAX_AGE="60",
    )

    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "{'min_size': 1, 'max_size': 7, 'timeout': 10} 0"


def test_without_database_pool_connections_are_kept_as_before():
    proc = _django_setup(
        SHOW_POOL,
        DATABASE_URL="postgres://cup:cup@db.example:5432/cupdb",
        DATABASE_CONN_MAX_AGE="60",
    )

    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "unset 60"
