"""`make test` brings the Chromium the browser tests need, or says in one sentence what to run.

`id`, `sudo` and `apt-get` are replaced by small scripts on PATH that log their arguments, so
every branch of the Makefile's `chromium` target runs without touching the machine.
"""

import os
import stat
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parent.parent


def write_script(path: Path, body: str) -> None:
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


@pytest.fixture
def machine(tmp_path):
    """A PATH with stand-ins for id/sudo/apt-get; `configure(uid=..., sudo_allowed=..., apt_installs=...)`."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "commands.log"
    chromium = tmp_path / "usr-bin" / "chromium"

    def configure(*, uid: int, sudo_allowed: bool, apt_installs: bool = True):
        write_script(bin_dir / "id", f'[ "$1" = "-u" ] && echo {uid}')
        write_script(
            bin_dir / "sudo",
            f'echo "sudo $*" >> {log}\n'
            f'[ "$1" = "-n" ] && [ "$2" = "true" ] && exit {0 if sudo_allowed else 1}\n'
            'shift\nexec "$@"',
        )
        install = (
            f"mkdir -p {chromium.parent} && touch {chromium} && chmod +x {chromium}" if apt_installs else ":"
        )
        write_script(
            bin_dir / "apt-get",
            f'echo "apt-get $* DEBIAN_FRONTEND=$DEBIAN_FRONTEND" >> {log}\n[ "$1" = "install" ] && {install}\nexit 0',
        )

    def run():
        environment = {**os.environ, "PATH": f"{bin_dir}:/usr/bin:/bin"}
        result = subprocess.run(
            ["make", "-s", "chromium", f"CHROMIUM={chromium}"],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=60,
        )
        commands = log.read_text().splitlines() if log.exists() else []
        return result, commands

    return SimpleNamespace(configure=configure, run=run, chromium=chromium)


def help_sentence(chromium: Path) -> str:
    return (
        f"The browser tests need Chromium at {chromium}: run 'sudo apt-get install -y chromium' "
        "(Debian/Ubuntu), then 'make test' again.\n"
    )


def test_nothing_happens_when_chromium_is_there(machine):
    machine.configure(uid=1000, sudo_allowed=False)
    machine.chromium.parent.mkdir()
    write_script(machine.chromium, "exit 0")
    result, commands = machine.run()
    assert (result.returncode, result.stdout, result.stderr, commands) == (0, "", "", [])


def test_root_installs_debians_chromium(machine):
    machine.configure(uid=0, sudo_allowed=False)
    result, commands = machine.run()
    assert result.returncode == 0, result.stderr
    assert commands == [
        "apt-get update -qq DEBIAN_FRONTEND=noninteractive",
        "apt-get install -y -qq chromium DEBIAN_FRONTEND=noninteractive",
    ]
    assert os.access(machine.chromium, os.X_OK)


def test_a_user_who_may_sudo_without_a_password_installs_through_sudo(machine):
    machine.configure(uid=1000, sudo_allowed=True)
    result, commands = machine.run()
    assert result.returncode == 0, result.stderr
    assert commands == [
        "sudo -n true",
        "sudo -n env DEBIAN_FRONTEND=noninteractive apt-get update -qq",
        "apt-get update -qq DEBIAN_FRONTEND=noninteractive",
        "sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium",
        "apt-get install -y -qq chromium DEBIAN_FRONTEND=noninteractive",
    ]


def test_anyone_else_is_told_what_to_run_in_one_sentence(machine):
    machine.configure(uid=1000, sudo_allowed=False)
    result, commands = machine.run()
    assert result.returncode != 0
    assert result.stderr.startswith(help_sentence(machine.chromium))
    assert commands == ["sudo -n true"]


def test_an_install_that_brings_no_chromium_says_so(machine):
    machine.configure(uid=0, sudo_allowed=False, apt_installs=False)
    result, _ = machine.run()
    assert result.returncode != 0
    assert result.stderr.startswith(help_sentence(machine.chromium))
