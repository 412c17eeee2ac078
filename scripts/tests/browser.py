"""A real headless Chromium for the browser tests, driven over the Chrome DevTools Protocol.

Debian's `chromium` (installed by `./course test`, see ensure_chromium in scripts/lib.sh)
is started with the flags this machine's closed network needs and a fresh profile, and
driven through one page's DevTools websocket (websocket-client, already in .venv). Every
console error, uncaught exception and failed load the page reports is collected in
`Page.errors`. No browser is ever downloaded.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
import websocket

CHROMIUM = os.environ.get("GMCOURSE_CHROMIUM", "/usr/bin/chromium")
REMEDY = "run ./course test (it installs Debian's chromium), or: sudo apt-get install chromium"

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--hide-scrollbars",
    "--remote-allow-origins=*",
    "--remote-debugging-port=0",
]


def require_chromium() -> str:
    """The Chromium binary, or a test failure (never a skip) that says how to get it."""
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(f"Chromium was not found at {CHROMIUM}; remedy: {REMEDY}", pytrace=False)
    return CHROMIUM


class Browser:
    """One headless Chromium process with a fresh --user-data-dir."""

    def __init__(self, width: int = 1280, height: int = 900):
        binary = require_chromium()
        self.profile = Path(tempfile.mkdtemp(prefix="gmcourse-chromium-"))
        self.proc = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={self.profile}", f"--window-size={width},{height}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        port_file = self.profile / "DevToolsActivePort"
        deadline = time.time() + 60
        while not (port_file.exists() and port_file.read_text().strip()):
            if self.proc.poll() is not None:
                err = self.proc.stderr.read().decode(errors="replace")[-2000:]
                self.close()
                pytest.fail(f"Chromium exited at start (code {self.proc.returncode}):\n{err}", pytrace=False)
            if time.time() > deadline:
                self.close()
                pytest.fail("Chromium did not open its DevTools port within 60 s", pytrace=False)
            time.sleep(0.1)
        self.port = int(port_file.read_text().split()[0])

    def new_page(self) -> "Page":
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}/json/new?about:blank", method="PUT")
        with urllib.request.urlopen(req, timeout=30) as r:
            target = json.loads(r.read())
        return Page(target["webSocketDebuggerUrl"])

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        shutil.rmtree(self.profile, ignore_errors=True)


class Page:
    """One tab: navigate, evaluate JavaScript, press keys, take screenshots."""

    def __init__(self, ws_url: str):
        self.ws = websocket.create_connection(ws_url, timeout=120, suppress_origin=True)
        self.next_id = 0
        self.events: list[dict] = []
        self.errors: list[str] = []
        for domain in ("Page", "Runtime", "Log"):
            self.send(f"{domain}.enable")

    # --- protocol ---
    def send(self, method: str, params: dict | None = None, timeout: float = 120) -> dict:
        self.next_id += 1
        my_id = self.next_id
        self.ws.send(json.dumps({"id": my_id, "method": method, "params": params or {}}))
        deadline = time.time() + timeout
        while time.time() < deadline:
            msg = self._recv(deadline - time.time())
            if msg is None:
                continue
            if msg.get("id") == my_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
        raise TimeoutError(f"no answer to {method} within {timeout} s")

    def _recv(self, timeout: float) -> dict | None:
        self.ws.settimeout(max(timeout, 0.05))
        try:
            msg = json.loads(self.ws.recv())
        except websocket.WebSocketTimeoutException:
            return None
        if "method" in msg:
            self._note(msg)
        return msg

    def _note(self, msg: dict) -> None:
        self.events.append(msg)
        method, p = msg["method"], msg.get("params", {})
        if method == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", []))
            self.errors.append(f"console.{p['type']}: {text}")
        elif method == "Runtime.exceptionThrown":
            d = p.get("exceptionDetails", {})
            self.errors.append(f"uncaught: {d.get('exception', {}).get('description') or d.get('text')}")
        elif method == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
            e = p["entry"]
            self.errors.append(f"{e.get('source')}: {e.get('text')} {e.get('url', '')}".strip())

    def pump(self, seconds: float) -> None:
        """Reads events for a while (console errors that arrive after load)."""
        deadline = time.time() + seconds
        while time.time() < deadline:
            self._recv(deadline - time.time())

    # --- high level ---
    def goto(self, url: str, timeout: float = 60) -> None:
        self.events.clear()
        self.send("Page.navigate", {"url": url})
        deadline = time.time() + timeout
        while time.time() < deadline:
            if any(e["method"] == "Page.loadEventFired" for e in self.events):
                return
            self._recv(deadline - time.time())
        raise TimeoutError(f"{url} did not finish loading within {timeout} s")

    def js(self, expression: str, timeout: float = 60):
        """The value of a JavaScript expression (promises are awaited)."""
        r = self.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True, "timeout": timeout * 1000},
            timeout=timeout + 5,
        )
        if "exceptionDetails" in r:
            d = r["exceptionDetails"]
            raise RuntimeError(f"{expression[:80]}: {d.get('exception', {}).get('description') or d.get('text')}")
        return r.get("result", {}).get("value")

    def wait_for(self, expression: str, timeout: float = 60, what: str = "") -> object:
        deadline = time.time() + timeout
        while time.time() < deadline:
            value = self.js(expression)
            if value:
                return value
            self.pump(0.25)
        raise AssertionError(f"timed out after {timeout} s waiting for {what or expression}")

    def key(self, key: str, code: str, vk: int, shift: bool = False) -> None:
        mods = 8 if shift else 0
        base = {"key": key, "code": code, "windowsVirtualKeyCode": vk, "nativeVirtualKeyCode": vk, "modifiers": mods}
        self.send("Input.dispatchKeyEvent", {"type": "rawKeyDown", **base})
        self.send("Input.dispatchKeyEvent", {"type": "keyUp", **base})

    def click(self, x: float, y: float) -> None:
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1})

    def screenshot(self, path: Path, full_page: bool = False) -> Path:
        params: dict = {"format": "png"}
        if full_page:
            params["captureBeyondViewport"] = True
        data = self.send("Page.captureScreenshot", params)["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        try:
            self.ws.close()
        except Exception:
            pass
