#!/usr/bin/env python3
"""The course's class hub: JupyterHub on this machine, students as home folders.

    ./course hub [--port N] [--dir DIR] [--cull-timeout S]

starts JupyterHub (scripts/hub/jupyterhub_config.py) with configurable-http-proxy and the
idle culler, for an instructor's trial: open the printed URL, log in with any user name
and the printed password; each name gets its own copy of the course. Ctrl-C stops the hub
and every student's server; the students' folders (DIR/homes/<name>) stay.

`Hub` is also what `./course bench class` (bench/class.py) and scripts/tests/test_hub.py
start: it picks free ports, waits until the hub answers, and stops it with its servers.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONFIG = Path(__file__).resolve().parent / "jupyterhub_config.py"
VENV_BIN = ROOT / ".venv" / "bin"
PROXY = ROOT / "build" / "hub-proxy" / "node_modules" / ".bin" / "configurable-http-proxy"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gmcourse_home() -> str:
    return os.environ.get("GMCOURSE_HOME") or str(
        Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "gmcourse"
    )


class HubError(Exception):
    pass


class Hub:
    """A running JupyterHub. Use as a context manager; `url` is the proxy's address."""

    def __init__(
        self,
        hub_dir: Path,
        port: int | None = None,
        cull_timeout: int = 3600,
        cull_every: int | None = None,
        student_cache: bool = True,
        password: str | None = None,
        activity_interval: int = 300,
        log: Path | None = None,
    ):
        self.dir = Path(hub_dir).resolve()
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.password = password or secrets.token_urlsafe(9)
        self.admin_token = secrets.token_hex(32)
        self.cull_timeout = cull_timeout
        self.cull_every = cull_every
        self.student_cache = student_cache
        self.activity_interval = activity_interval
        self.log = log or self.dir / "jupyterhub.log"
        self.proc: subprocess.Popen | None = None
        self.api_port = free_port()  # the hub's own API, which every server of this hub calls

    def env(self) -> dict:
        env = dict(os.environ)
        env.update(
            GMCOURSE_HUB_COURSE=str(ROOT),
            GMCOURSE_HUB_DIR=str(self.dir),
            GMCOURSE_HUB_PORT=str(self.port),
            GMCOURSE_HUB_API_PORT=str(self.api_port),
            GMCOURSE_HUB_PROXY_API_PORT=str(free_port()),
            GMCOURSE_HUB_PROXY=str(PROXY),
            GMCOURSE_HUB_PASSWORD=self.password,
            GMCOURSE_HUB_ADMIN_TOKEN=self.admin_token,
            GMCOURSE_HUB_CULL_TIMEOUT=str(self.cull_timeout),
            GMCOURSE_HUB_STUDENT_CACHE="1" if self.student_cache else "0",
            GMCOURSE_HUB_ACTIVITY_INTERVAL=str(self.activity_interval),
            GMCOURSE_HOME=gmcourse_home(),
            PATH=f"{VENV_BIN}:{env.get('PATH', '')}",
        )
        if self.cull_every:
            env["GMCOURSE_HUB_CULL_EVERY"] = str(self.cull_every)
        return env

    def start(self, timeout: float = 90) -> "Hub":
        for what, path in (("JupyterHub", VENV_BIN / "jupyterhub"), ("configurable-http-proxy", PROXY)):
            if not path.exists():
                raise HubError(f"{what} is not installed ({path}); run ./course hub once, which installs it")
        self.dir.mkdir(parents=True, exist_ok=True)
        log = open(self.log, "ab")
        self.proc = subprocess.Popen(
            [str(VENV_BIN / "jupyterhub"), "-f", str(CONFIG)],
            cwd=self.dir,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise HubError(f"JupyterHub exited with code {self.proc.returncode}; its log: {self.log}")
            try:
                with urllib.request.urlopen(f"{self.url}/hub/api/", timeout=2) as r:
                    if r.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.3)
        self.stop()
        raise HubError(f"JupyterHub did not answer within {timeout:.0f} s; its log: {self.log}")

    def api(self, method: str, path: str, body: dict | None = None, token: str | None = None):
        """A call of the hub's REST API (admin token unless another is given): its JSON."""
        req = urllib.request.Request(
            f"{self.url}/hub/api{path}",
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": f"token {token or self.admin_token}"},
        )
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                text = r.read()
        except urllib.error.HTTPError as e:
            raise HubError(f"{method} /hub/api{path}: HTTP {e.code} {e.read()[:300]!r}") from None
        return json.loads(text) if text else None

    def stop(self, timeout: float = 60) -> None:
        """Stops the hub, which stops every student's server first (cleanup_servers)."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def __enter__(self) -> "Hub":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, default=8000, help="port of the hub (default 8000)")
    ap.add_argument("--dir", type=Path, default=ROOT / "build" / "hub",
                    help="the hub's state and the students' homes (default build/hub)")
    ap.add_argument("--cull-timeout", type=int, default=3600,
                    help="stop a server idle this many seconds (default 3600); files stay")
    args = ap.parse_args()
    try:
        with socket.socket() as s:
            s.bind(("127.0.0.1", args.port))
    except OSError:
        print(f"error: port {args.port} is already in use\n  remedy: ./course hub --port {args.port + 1}", file=sys.stderr)
        return 1
    hub = Hub(args.dir, port=args.port, cull_timeout=args.cull_timeout)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        hub.start()
    except HubError as e:
        print(f"error: {e}\n  remedy: read the log, fix the cause, rerun ./course hub", file=sys.stderr)
        return 1
    print(f"JupyterHub: {hub.url}  (log in with any user name and the password {hub.password})")
    print(f"  students' folders: {hub.dir / 'homes'}; idle servers stop after {args.cull_timeout} s")
    print(f"  log: {hub.log}.  Stop with Ctrl-C (the servers stop, the folders stay).")
    try:
        while hub.proc.poll() is None:
            time.sleep(1)
        print(f"error: JupyterHub exited with code {hub.proc.returncode}; its log: {hub.log}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("stopping the hub and the students' servers ...")
        return 0
    finally:
        hub.stop()


if __name__ == "__main__":
    sys.exit(main())
