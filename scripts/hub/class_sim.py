"""A class on the hub, simulated as browsers would drive it.

Each simulated student logs in through the hub's REST API (a token the admin service
issues), starts their server, opens a lesson from their own copy of the course (the
contents API), starts a kernel for it (the sessions API) and runs its code cells one
after the other over the kernel's WebSocket, proxied by the hub's configurable-http-proxy
at /user/<name>/api/kernels/<id>/channels: what JupyterLab's "Run All" does. Then extra
cells (a training cell), each timed.

While students run, `MemorySampler` reads /proc four times a second and adds up, per
student (the JUPYTERHUB_USER of each process's environment), the resident memory of the
kernel (`gmcourse-kernel`, the kernel and the process running the notebook's code), of
compilers (cargo, rustc, the linker, the grader's builds) and of the server (Python), and
keeps each one's peak.

Used by bench/class.py (`./course bench class`) and scripts/tests/test_hub.py.
"""

from __future__ import annotations

import asyncio
import datetime
import json
import os
import statistics
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

AsyncHTTPClient.configure(None, max_clients=256)

# What evcxr says when its shared compile cache was read while another kernel rewrote an
# entry (environment.md): counted apart from other failures, as cache damage.
CACHE_ERRORS = ("no parsable errors were found", "cannot parse integer", "Failed to wrap rustc",
                "Failed to copy from cache")


@dataclass
class CellResult:
    index: int
    seconds: float
    status: str  # ok, error, timeout
    error: str = ""
    text: str = ""  # the code, then what the cell printed
    html: str = ""  # what the cell displayed as HTML (`:check`'s table)


@dataclass
class RunResult:
    student: str
    started: float = 0.0  # time.monotonic() when the lesson was opened
    finished: float = 0.0
    server_seconds: float = 0.0
    cells: list[CellResult] = field(default_factory=list)
    extra: dict[str, CellResult] = field(default_factory=dict)
    failure: str | None = None

    @property
    def run_all(self) -> float:
        return sum(c.seconds for c in self.cells)

    @property
    def first_cell(self) -> float:
        return self.cells[0].seconds if self.cells else float("nan")

    def warm(self) -> list[float]:
        return [c.seconds for c in self.cells[1:] if not c.text.lstrip().startswith(":check")]

    def check_seconds(self) -> float:
        return next((c.seconds for c in self.all_cells() if c.text.lstrip().startswith(":check")), float("nan"))

    def cache_errors(self) -> list[str]:
        return [c.error for c in self.all_cells() if any(e in c.error for e in CACHE_ERRORS)]

    def all_cells(self) -> list[CellResult]:
        return self.cells + list(self.extra.values())


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    v = sorted(values)
    return v[min(len(v) - 1, int(round(q * (len(v) - 1))))]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


class Student:
    """One student: a hub account, a token, a server."""

    def __init__(self, hub, name: str):
        self.hub = hub
        self.name = name
        self.token = ""

    def login(self) -> None:
        """Creates the account if needed and gets a token for it (the REST API's login)."""
        try:
            self.hub.api("POST", f"/users/{self.name}")
        except Exception as e:  # 409: the account exists
            if "409" not in str(e):
                raise
        self.token = self.hub.api("POST", f"/users/{self.name}/tokens",
                                  {"note": "class simulation", "expires_in": 86400})["token"]

    def headers(self) -> dict:
        return {"Authorization": f"token {self.token}"}

    async def http(self, method: str, path: str, body=None, timeout: float = 120):
        req = HTTPRequest(f"{self.hub.url}{path}", method=method, headers=self.headers(),
                          body=json.dumps(body) if body is not None else (None if method in ("GET", "DELETE") else ""),
                          request_timeout=timeout, allow_nonstandard_methods=True)
        resp = await AsyncHTTPClient().fetch(req)
        return json.loads(resp.body) if resp.body else None

    async def start_server(self, timeout: float = 300) -> float:
        """Starts the student's server through the hub; seconds until it is ready."""
        t0 = time.monotonic()
        try:
            await self.http("POST", f"/hub/api/users/{self.name}/server", {})
        except HTTPClientError as e:
            if e.code != 400:  # 400: already running
                raise
        while time.monotonic() - t0 < timeout:
            user = await self.http("GET", f"/hub/api/users/{self.name}")
            server = user.get("servers", {}).get("")
            if server and server.get("ready"):
                return time.monotonic() - t0
            await asyncio.sleep(0.5)
        raise TimeoutError(f"{self.name}'s server was not ready after {timeout:.0f} s")

    async def server_running(self) -> bool:
        user = await self.http("GET", f"/hub/api/users/{self.name}")
        return bool(user.get("servers", {}).get(""))

    async def stop_server(self) -> None:
        try:
            await self.http("DELETE", f"/hub/api/users/{self.name}/server")
        except HTTPClientError as e:
            if e.code not in (400, 404):
                raise
        for _ in range(120):
            if not await self.server_running():
                return
            await asyncio.sleep(0.5)

    async def contents(self, path: str) -> dict:
        return await self.http("GET", f"/user/{self.name}/api/contents/{path}?content=1")

    async def put_file(self, path: str, text: str) -> None:
        await self.http("PUT", f"/user/{self.name}/api/contents/{path}",
                        {"type": "file", "format": "text", "content": text})

    async def open_kernel(self, notebook: str) -> "KernelChannel":
        """Opens a lesson as JupyterLab does: a session for the notebook, then its kernel's WebSocket."""
        session = await self.http("POST", f"/user/{self.name}/api/sessions", {
            "path": notebook, "name": Path(notebook).name, "type": "notebook",
            "kernel": {"name": "gmcourse"}})
        channel = KernelChannel(self, session["id"], session["kernel"]["id"])
        await channel.connect()
        return channel


class KernelChannel:
    """The kernel's WebSocket through the proxy (Jupyter's JSON message protocol)."""

    def __init__(self, student: Student, session_id: str, kernel_id: str):
        self.student = student
        self.session_id = session_id
        self.kernel_id = kernel_id
        self.ws = None

    async def connect(self) -> None:
        url = (self.student.hub.url.replace("http://", "ws://")
               + f"/user/{self.student.name}/api/kernels/{self.kernel_id}/channels?session_id={self.session_id}")
        self.ws = await websocket_connect(HTTPRequest(url, headers=self.student.headers(), request_timeout=120),
                                          max_message_size=256 * 1024 * 1024)
        await self.wait_ready()

    def request(self, msg_type: str, content: dict) -> str:
        """Sends a shell request; returns its msg_id."""
        msg_id = uuid.uuid4().hex
        self.ws.write_message(json.dumps({
            "header": {"msg_id": msg_id, "username": self.student.name, "session": self.session_id,
                       "msg_type": msg_type, "version": "5.3",
                       "date": datetime.datetime.now(datetime.timezone.utc).isoformat()},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [], "content": content,
        }))
        return msg_id

    async def wait_ready(self, timeout: float = 600, every: float = 5) -> None:
        """What a browser and nbclient do before the first cell: ask for kernel_info until the
        kernel answers. A request sent while the server is still connecting the new kernel's
        channels can be lost; an execute_request lost that way is never answered."""
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            msg_id = self.request("kernel_info_request", {})
            sent = time.monotonic()
            while time.monotonic() - sent < every:
                try:
                    raw = await asyncio.wait_for(self.ws.read_message(), every)
                except asyncio.TimeoutError:
                    break
                if raw is None:
                    raise ConnectionError("the kernel's WebSocket closed before the kernel answered kernel_info")
                msg = json.loads(raw)
                if msg.get("msg_type") == "kernel_info_reply":
                    return
        raise TimeoutError(f"the kernel did not answer kernel_info within {timeout:.0f} s")

    async def execute(self, code: str, timeout: float = 900) -> CellResult:
        msg_id = self.request("execute_request", {
            "code": code, "silent": False, "store_history": True, "user_expressions": {},
            "allow_stdin": False, "stop_on_error": True})
        t0 = time.monotonic()
        reply, idle, errors, text, html = None, False, [], [], []
        while reply is None or not idle:
            left = timeout - (time.monotonic() - t0)
            if left <= 0:
                return CellResult(0, time.monotonic() - t0, "timeout", f"no reply within {timeout:.0f} s", code)
            try:
                raw = await asyncio.wait_for(self.ws.read_message(), left)
            except asyncio.TimeoutError:
                continue
            if raw is None:
                return CellResult(0, time.monotonic() - t0, "error", "the kernel's WebSocket closed", code)
            msg = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg.get("content", {})
            if kind == "execute_reply":
                reply = content
            elif kind == "status" and content.get("execution_state") == "idle":
                idle = True
            elif kind == "error":
                errors.append(f"{content.get('ename')}: {content.get('evalue')}")
            elif kind == "stream":
                text.append(content.get("text", ""))
            elif kind in ("display_data", "execute_result", "update_display_data"):
                html.append(content.get("data", {}).get("text/html", ""))
        seconds = time.monotonic() - t0
        if reply.get("status") != "ok":
            errors = errors or [f"{reply.get('ename')}: {reply.get('evalue')}"]
            return CellResult(0, seconds, "error", " | ".join(errors)[:2000], code)
        return CellResult(0, seconds, "ok", "", code + "\n" + "".join(text)[-4000:], "".join(html)[-20000:])

    async def close(self) -> None:
        if self.ws is not None:
            self.ws.close()
        try:
            await self.student.http("DELETE", f"/user/{self.student.name}/api/sessions/{self.session_id}")
        except HTTPClientError:
            pass


def code_cells(notebook: dict) -> list[str]:
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in notebook["cells"] if c["cell_type"] == "code"]


async def run_lesson(student: Student, notebook: str, extra: dict[str, str] | None = None,
                     max_cells: int | None = None, start_server: bool = True) -> RunResult:
    """Starts the server (if asked), opens `notebook` (a path in the student's home), runs its
    code cells in order (stopping at the first failure, as Run All does), then `extra` cells."""
    result = RunResult(student.name)
    try:
        if start_server:
            result.server_seconds = await student.start_server()
        result.started = time.monotonic()
        nb = (await student.contents(notebook))["content"]
        cells = code_cells(nb)[:max_cells]
        channel = await student.open_kernel(notebook)
        try:
            for i, code in enumerate(cells):
                cell = await channel.execute(code)
                cell.index = i
                result.cells.append(cell)
                if cell.status != "ok":
                    result.failure = f"cell {i} ({code.strip().splitlines()[0][:50]!r}): {cell.error[:300]}"
                    break
            if result.failure is None:
                for name, code in (extra or {}).items():
                    cell = await channel.execute(code)
                    result.extra[name] = cell
                    if cell.status != "ok":
                        result.failure = f"{name}: {cell.error[:300]}"
                        break
        finally:
            await channel.close()
    except Exception as e:  # the server did not start, the WebSocket failed, ...
        result.failure = result.failure or f"{type(e).__name__}: {e}"
    result.finished = time.monotonic()
    return result


# --- memory ------------------------------------------------------------------------------

PAGE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")
COMPILERS = {"cargo", "rustc", "cc", "gcc", "ld", "ld.bfd", "ld.gold", "collect2", "as", "rust-lld",
             "cc1", "lto-wrapper"}


def category(comm: str) -> str:
    if comm.startswith("gmcourse-kernel"):
        return "kernel"
    if comm in COMPILERS or comm.startswith("rustc") or comm.startswith("cargo"):
        return "rustc"
    if comm.startswith("python") or comm.startswith("jupyterhub-sing"):
        return "server"
    return "other"


class MemorySampler(threading.Thread):
    """Peak resident memory per student and category, and of the whole class, from /proc."""

    def __init__(self, interval: float = 0.25, hub_api_port: int | None = None):
        super().__init__(daemon=True)
        # only the processes of this hub's servers (JUPYTERHUB_API_URL names its port)
        self.hub_api = f":{hub_api_port}/".encode() if hub_api_port else b""
        self.interval = interval
        self.stop_event = threading.Event()
        self.owner: dict[tuple[int, str], str | None] = {}
        self.peak: dict[str, dict[str, float]] = {}
        self.peak_total: dict[str, float] = {}
        self.class_peak = 0.0
        # CPU seconds per student: the largest utime + stime seen of each of its processes,
        # summed (sampled, so the last quarter second of a short process is missed)
        self.ticks: dict[tuple[int, str], tuple[str, int]] = {}
        self.base: dict[tuple[int, str], int] = {}  # what a process had used before we started
        self.boot_ticks = float(Path("/proc/uptime").read_text().split()[0]) * TICKS
        self.used_base = self.used_now()
        self.used_peak = self.used_base

    @staticmethod
    def used_now() -> float:
        info = {}
        for line in Path("/proc/meminfo").read_text().splitlines():
            k, v = line.split(":", 1)
            info[k] = int(v.split()[0])
        return (info["MemTotal"] - info["MemAvailable"]) / 1024

    def student_of(self, pid: int, start: str) -> str | None:
        key = (pid, start)
        if key not in self.owner:
            try:
                env = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
                user = next((e[16:].decode() for e in env if e.startswith(b"JUPYTERHUB_USER=")), None)
                api = next((e for e in env if e.startswith(b"JUPYTERHUB_API_URL=")), b"")
                if self.hub_api not in api:
                    user = None
            except OSError:
                user = None
            self.owner[key] = user
        return self.owner[key]

    def sample(self) -> None:
        now: dict[str, dict[str, float]] = {}
        for d in Path("/proc").iterdir():
            if not d.name.isdigit():
                continue
            try:
                stat = (d / "stat").read_text()
                rss = int((d / "statm").read_text().split()[1]) * PAGE / 2**20
            except (OSError, IndexError, ValueError):
                continue
            comm = stat[stat.index("(") + 1:stat.rindex(")")]
            fields = stat.rsplit(")", 1)[1].split()
            start = fields[19]
            user = self.student_of(int(d.name), start)
            if user is None:
                continue
            used, key = int(fields[11]) + int(fields[12]), (int(d.name), start)
            if key not in self.base:
                self.base[key] = used if int(start) < self.boot_ticks else 0
            self.ticks[key] = (user, used - self.base[key])
            cat = now.setdefault(user, {})
            cat[category(comm)] = cat.get(category(comm), 0.0) + rss
        total = 0.0
        for user, cats in now.items():
            peaks = self.peak.setdefault(user, {})
            for k, v in cats.items():
                peaks[k] = max(peaks.get(k, 0.0), v)
            s = sum(cats.values())
            self.peak_total[user] = max(self.peak_total.get(user, 0.0), s)
            total += s
        self.class_peak = max(self.class_peak, total)
        self.used_peak = max(self.used_peak, self.used_now())

    def cpu_seconds(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for user, t in self.ticks.values():
            out[user] = out.get(user, 0.0) + t / TICKS
        return out

    def run(self) -> None:
        while not self.stop_event.is_set():
            self.sample()
            self.stop_event.wait(self.interval)

    def stop(self) -> None:
        self.stop_event.set()
        self.join(5)


# --- the compile caches ------------------------------------------------------------------

def cache_damage(cache_dir: Path) -> list[str]:
    """Damaged entries of an evcxr cache (`<XDG_CACHE_HOME>/evcxr`): a `hits` that is not a
    number, or an artifact named in `stderr` that is missing or empty."""
    bad = []
    if not cache_dir.is_dir():
        return bad
    for entry in cache_dir.iterdir():
        stderr, hits = entry / "stderr", entry / "hits"
        if not stderr.exists():
            continue  # being written, or a miss never finished: evcxr ignores it
        text = hits.read_text() if hits.exists() else ""
        if not text.strip().isdigit():
            bad.append(f"{entry.name}: hits is {text!r}")
        for line in stderr.read_text().splitlines():
            try:
                artifact = json.loads(line)
            except ValueError:
                continue
            name = Path(artifact.get("artifact", "")).name
            if name and (not (entry / name).is_file() or (entry / name).stat().st_size == 0):
                bad.append(f"{entry.name}: artifact {name} missing or empty")
    return bad


def artifact_digest(cache_dir: Path) -> dict[str, tuple[int, int]]:
    """(size, mtime_ns) of every compiled artifact of a cache: a write through a hard link
    from a student's cache into the shared one changes it."""
    out = {}
    if cache_dir.is_dir():
        for f in cache_dir.glob("*/*"):
            if f.name not in ("hits", "stderr", "meta"):
                st = f.stat()
                out[str(f.relative_to(cache_dir))] = (st.st_size, st.st_mtime_ns)
    return out
