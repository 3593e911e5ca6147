"""Code run by `manage.py shell` on a fresh SQLite file, as `make run` uses it: the suite's
own database is CI's PostgreSQL, so what only SQLite does is tried in a subprocess."""

import fcntl
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "skinspire.sqlite3"
MIGRATE = "from django.core.management import call_command\ncall_command('migrate', verbosity=0)\n"


def sqlite_environment(directory: Path) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment.update(
        DJANGO_SETTINGS_MODULE="skinspire.settings.local",
        DATABASE_URL=f"sqlite:///{directory / DATABASE}",
        REDIS_URL="",
        CELERY_FILESYSTEM_BROKER_DIR=str(directory / "broker"),
    )
    return environment


def shell_on_sqlite(
    directory: Path, code: str, *, timeout: int, migrated: Path | None = None
) -> subprocess.CompletedProcess:
    """`migrated`: a file `migrated_template` made, copied to `directory` as the database `code` meets."""
    if migrated is not None:
        sqlite_copy(migrated, directory / DATABASE)
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=sqlite_environment(directory),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def migrated_template(root: Path) -> Path:
    """A SQLite file `manage.py migrate` made, in `root`: built once for every test that starts from
    a migrated file (some 10 s of CPU each time) and, under xdist, for every worker sharing `root`:
    the first builds it under a lock, the others wait for it. Copy it with `sqlite_copy`."""
    # The installed apps, hence the tables, depend on SANDBOX_ENABLED (settings/local.py).
    template = root / f"migrated-sandbox-{os.environ.get('SANDBOX_ENABLED', 'default')}.sqlite3"
    with (root / "migrated-sqlite.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not template.exists():
            building = root / f"{template.stem}-building"
            building.mkdir(exist_ok=True)
            (building / DATABASE).unlink(missing_ok=True)
            result = shell_on_sqlite(building, MIGRATE, timeout=600)
            if result.returncode != 0:
                raise RuntimeError(f"migrate on a fresh SQLite file failed:\n{result.stderr[-3000:]}")
            sqlite_copy(building / DATABASE, root / f"{template.name}.part")
            (root / f"{template.name}.part").rename(template)  # whole, or absent
    return template


def sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy whatever the source's write-ahead log holds."""
    with closing(sqlite3.connect(source)) as reading, closing(sqlite3.connect(target)) as writing:
        reading.backup(writing)
