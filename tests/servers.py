"""Running the service in a subprocess: a free port to serve on, and waiting until it answers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

# Generous: it bounds a wait, it is not how long a start takes.
STARTUP_TIMEOUT_S = 30.0
# The pause between probes, spent waiting on the process so a server that died is noticed at once.
POLL_INTERVAL_S = 0.05
ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_healthy(
    process: subprocess.Popen[Any],
    base_url: str,
    output: Callable[[], str],
    timeout_s: float = STARTUP_TIMEOUT_S,
) -> None:
    """Poll ``{base_url}/healthz`` until it answers 200; fail if ``process`` exits or time runs out.

    ``output`` says how to read what the process printed. It is called only once the process
    has ended (on a timeout it is stopped first), so reading a pipe to its end cannot block.
    """
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base_url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass  # not listening yet
        try:
            process.wait(timeout=POLL_INTERVAL_S)
        except subprocess.TimeoutExpired:
            continue
        pytest.fail(f"uvicorn exited with {process.returncode}:\n{output()}")
    stop(process)
    pytest.fail(f"uvicorn did not answer on {base_url} within {timeout_s} s:\n{output()}")


def stop(process: subprocess.Popen[Any]) -> None:
    """Terminate ``process``, and kill it if it has not stopped within ten seconds."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def pipe_output(process: subprocess.Popen[str]) -> Callable[[], str]:
    """Reads the text ``process`` wrote to its stdout pipe."""
    return lambda: process.stdout.read() if process.stdout else ""


@dataclass(frozen=True)
class RunningServer:
    process: subprocess.Popen[bytes]
    base_url: str
    log: Path

    def rss_bytes(self, field: str = "VmRSS") -> int:
        """A memory figure of the process from /proc (VmRSS now, VmHWM its peak so far)."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
        raise AssertionError(f"{field} not found for process {self.process.pid}")


@contextmanager
def uvicorn_server(
    database_url: str, log_dir: Path, env: Mapping[str, str] | None = None
) -> Iterator[RunningServer]:
    """``uvicorn app.main:app`` on a free port of 127.0.0.1, answering /healthz, its output in
    a file of ``log_dir`` (a pipe nobody reads would fill and stall it)."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("INFLUMIX_") and key != "DATABASE_URL"
    }
    port = free_port()
    log = log_dir / f"uvicorn-{port}.log"
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "--port", str(port)],
            cwd=ROOT,
            env={**clean, **(env or {}), "DATABASE_URL": database_url},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = RunningServer(process, f"http://127.0.0.1:{port}", log)
    try:
        wait_until_healthy(process, server.base_url, log.read_text)
        yield server
    finally:
        stop(process)
