"""`./course lab` serves JupyterLab with the course kernel, and that kernel runs gmcourse.

Starts the README's run command headless on a free port, checks that the server answers
and lists the course kernel, starts the kernel through the server's REST API, executes
the notebooks' first cell and one more over the websocket, and shuts everything down.
"""

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
import uuid

import pytest
import websocket  # websocket-client, a dependency of jupyter_server

from conftest import ROOT
import run_notebooks as rn

TOKEN = uuid.uuid4().hex


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def api(port, path, method="GET", body=None):
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"token {TOKEN}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=30) as r:
        raw = r.read()
        return json.loads(raw) if raw else None


@pytest.fixture(scope="module")
def lab():
    port = free_port()
    env = dict(os.environ, JUPYTER_TOKEN=TOKEN)
    proc = subprocess.Popen(
        [str(ROOT / "course"), "lab", "--no-browser", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            api(port, "/api/status")
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"./course lab exited early:\n{proc.stdout.read()}")
            time.sleep(0.5)
    else:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail("JupyterLab did not answer within 120 s")
    yield port
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def execute(ws, code, timeout=600):
    """Sends one execute_request; returns (status, outputs) once the kernel is idle."""
    msg_id = uuid.uuid4().hex
    ws.send(json.dumps({
        "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "test",
                   "session": uuid.uuid4().hex, "version": "5.3", "date": ""},
        "parent_header": {}, "metadata": {}, "channel": "shell",
        "content": {"code": code, "silent": False, "store_history": True,
                    "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
    }))
    status, outputs, idle = None, [], False
    deadline = time.time() + timeout
    while time.time() < deadline and not (idle and status):
        msg = json.loads(ws.recv())
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind = msg["header"]["msg_type"]
        if kind == "execute_reply":
            status = msg["content"]["status"]
        elif kind in ("stream", "execute_result", "display_data", "error"):
            outputs.append(msg["content"])
        elif kind == "status" and msg["content"]["execution_state"] == "idle":
            idle = True
    return status, outputs


def test_the_server_answers_and_lists_the_course_kernel(lab):
    specs = api(lab, "/api/kernelspecs")
    assert "gmcourse" in specs["kernelspecs"]
    assert specs["kernelspecs"]["gmcourse"]["spec"]["display_name"] == "Rust (gmcourse)"
    assert specs["default"] == "gmcourse"


def test_the_lab_serves_the_course_notebooks(lab):
    listing = api(lab, "/api/contents/")
    names = {item["name"] for item in listing["content"]}
    assert "00-welcome.ipynb" in names


def test_a_kernel_started_through_the_server_runs_gmcourse(lab):
    kernel = api(lab, "/api/kernels", "POST", {"name": "gmcourse"})
    ws = websocket.create_connection(
        f"ws://127.0.0.1:{lab}/api/kernels/{kernel['id']}/channels?token={TOKEN}", timeout=600
    )
    try:
        status, _ = execute(ws, rn.first_cell_source())
        assert status == "ok"
        status, outputs = execute(ws, "gmcourse::VERSION")
        assert status == "ok"
        results = [o["data"]["text/plain"] for o in outputs if "data" in o]
        assert results == ['"0.1.0"']
    finally:
        ws.close()
        api(lab, f"/api/kernels/{kernel['id']}", "DELETE")
    assert kernel["id"] not in {k["id"] for k in api(lab, "/api/kernels")}
