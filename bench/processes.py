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
