"""The servers and workers a benchmark starts and stops (bench_webhooks, bench_payouts)."""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(command: list[str], env: dict[str, str]) -> subprocess.Popen:
    """In a session of its own, so stop() ends it with every child it forked."""
    return subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)


def stop(process: subprocess.Popen, *, timeout: float = 30) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_until_serving(port: int, path: str, status: int, *, seconds: float) -> None:
    """Until GET `path` answers `status`, or exit saying the server did not start."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path)
            if connection.getresponse().status == status:
                return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"gunicorn did not start within {seconds:.0f} s.")


def group_cpu_seconds(process: subprocess.Popen) -> float:
    """CPU seconds (user + system) used so far by the live processes of `process`'s session
    (start() gives each its own): a gunicorn master and its workers, a Celery worker and
    its pool. Processes that have already exited are not counted."""
    return sum(_cpu_seconds(pid) for pid, session in _sessions().items() if session == process.pid)


def pids_cpu_seconds(pids: list[int]) -> dict[int, float]:
    """CPU seconds used so far by each of `pids` still alive (PostgreSQL backends)."""
    return {pid: seconds for pid in pids if (seconds := _cpu_seconds(pid)) >= 0}


def _sessions() -> dict[int, int]:
    sessions = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat_fields(int(entry.name))
            if fields:
                sessions[int(entry.name)] = int(fields[3])  # the session id, 6th field of the line
    return sessions


def _cpu_seconds(pid: int) -> float:
    fields = _stat_fields(pid)
    if not fields:
        return -1.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def _stat_fields(pid: int) -> list[str]:
    """/proc/<pid>/stat after the command name (its 3rd field first), or [] if gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return []
