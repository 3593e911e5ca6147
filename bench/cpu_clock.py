"""Wall time and CPU time of a benchmark step, the database server's CPU included.

The bench machine is often shared, so wall-clock rates swing with other people's load. The CPU
seconds spent by this process and by the PostgreSQL backend serving it change far less; their
sum is about what the step takes on an idle machine (one client, one backend, in turn).
"""

import os
import time
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

LOCAL_HOSTS = {"", "localhost", "127.0.0.1", "::1"}


@dataclass(frozen=True)
class Reading:
    wall: float
    client_cpu: float
    server_cpu: float | None

    def __sub__(self, earlier: "Reading") -> "Reading":
        server = None
        if self.server_cpu is not None and earlier.server_cpu is not None:
            server = self.server_cpu - earlier.server_cpu
        return Reading(self.wall - earlier.wall, self.client_cpu - earlier.client_cpu, server)

    def __add__(self, other: "Reading") -> "Reading":
        """Two steps' durations together."""
        server = None
        if self.server_cpu is not None and other.server_cpu is not None:
            server = self.server_cpu + other.server_cpu
        return Reading(self.wall + other.wall, self.client_cpu + other.client_cpu, server)

    def describe(self, count: int) -> str:
        text = f"{count} in {self.wall:.2f}s = {count / self.wall:,.0f}/s"
        if self.server_cpu is None:
            return text
        cpu = self.client_cpu + self.server_cpu
        return (
            f"{text}; CPU {self.client_cpu:.2f}s Python + {self.server_cpu:.2f}s PostgreSQL"
            f" = {count / cpu:,.0f}/CPU-second"
        )


def read() -> Reading:
    return Reading(time.perf_counter(), time.process_time(), _server_cpu())


def _server_cpu() -> float | None:
    """CPU seconds of this connection's PostgreSQL backend, when it runs on this machine."""
    if connection.vendor != "postgresql" or (connection.settings_dict["HOST"] or "") not in LOCAL_HOSTS:
        return None
    # Read from the connection, not queried: a step may be timed while its connection is busy
    # with a COPY (the run stores items while the engine works), and a query would wait for it.
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    try:
        # Fields after the command name: state is the 3rd field of the line, utime the 14th, stime the 15th.
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
