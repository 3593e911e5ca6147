"""Code run by `manage.py shell` on a fresh SQLite file, as `make run` uses it: the suite's
own database is CI's PostgreSQL, so what only SQLite does is tried in a subprocess."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def shell_on_sqlite(directory: Path, code: str, *, timeout: int) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment.update(
        DJANGO_SETTINGS_MODULE="skinspire.settings.local",
        DATABASE_URL=f"sqlite:///{directory / 'skinspire.sqlite3'}",
        REDIS_URL="",
        CELERY_FILESYSTEM_BROKER_DIR=str(directory / "broker"),
    )
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
