"""The kernel's sockets keep working while Jupyter-like clients come and go (issue 17: a
kernel that never answered; kernel/vendor/zeromq/PATCHES.md).

- iopub (PUB): stock zeromq 0.6.0 deadlocked under the first test's churning subscribers in
  6 of 6 runs, within 0-6 s, at loads 2.7-7.8; patched, 5 of 5 ran clean.
- shell and control (ROUTER) and heartbeat (REP): under the second test's clients, which
  leave mid-answer, the ROUTER of stock 0.6.0 (one run) and of 0.6.0 with patch 2 alone
  (five runs) stopped answering for good every time (its fair queue spun); with patch 3,
  every run was clean.

Clients are libzmq, as in a Jupyter server (pyzmq). No figure here is a speed target: the
10 s watchdog only tells a stopped socket from a running one."""
import os
import subprocess
import threading
import time
from pathlib import Path

import zmq

ROOT = Path(__file__).resolve().parents[2]
TARGET = Path(os.environ.get("GMCOURSE_HOME", Path.home() / ".cache" / "gmcourse")) / "kernel-target"


def churn(ctx, endpoint, worker, stop):
    """Connects, subscribes (20 topics, then everything), reads for 5 ms, leaves; again."""
    while not stop.is_set():
        sub = ctx.socket(zmq.SUB)
        sub.setsockopt(zmq.LINGER, 0)
        sub.connect(endpoint)
        for topic in range(20):
            sub.setsockopt_string(zmq.SUBSCRIBE, f"s{topic}{worker}")
        sub.setsockopt_string(zmq.SUBSCRIBE, "")
        end = time.time() + 0.005
        while time.time() < end:
            if sub.poll(5):
                sub.recv()
        sub.close()


def start_example(name, secs):
    """Builds the stress `examples/<name>.rs` of the vendored zeromq and starts it; returns
    the process and the endpoints it printed on its first line."""
    build = subprocess.run(
        ["cargo", "build", "--release", "--locked", "--manifest-path", str(ROOT / "kernel" / "Cargo.toml"),
         "-p", "zeromq", "--example", name],
        env={**os.environ, "CARGO_TARGET_DIR": str(TARGET)}, capture_output=True, text=True)
    assert build.returncode == 0, build.stderr[-3000:]
    proc = subprocess.Popen([str(TARGET / "release" / "examples" / name)], stdout=subprocess.PIPE,
                            text=True, env={**os.environ, "SECS": secs, "WORKERS": "4"})
    endpoints = proc.stdout.readline().split()
    assert endpoints and all(e.startswith("tcp://") for e in endpoints), endpoints
    return proc, endpoints


def run_clients(proc, workers, stop):
    """Runs the client threads until the stress ends; it must end without a hang."""
    for w in workers:
        w.start()
    try:
        out = proc.communicate(timeout=120)[0].strip()
    finally:
        stop.set()
        proc.kill()
    assert proc.returncode == 0 and out.startswith("no hang"), out


def test_the_pub_socket_keeps_sending_while_subscribers_come_and_go():
    proc, (endpoint,) = start_example("pub_churn", "30")
    ctx, stop = zmq.Context(io_threads=2), threading.Event()
    workers = [threading.Thread(target=churn, args=(ctx, endpoint, w, stop), daemon=True) for w in range(12)]
    run_clients(proc, workers, stop)


def ask_and_leave(ctx, endpoint, kind, worker, stop):
    """Connects, asks, waits 0-5 ms for the answer (often leaving before it), leaves; again.
    Every third DEALER sends 64 KiB and asks ten times without reading, so the ROUTER's
    answer to it can still be on its way when it goes."""
    n = 0
    while not stop.is_set():
        n += 1
        sock = ctx.socket(kind)
        sock.setsockopt(zmq.LINGER, 0)
        sock.connect(endpoint)
        if kind == zmq.DEALER and worker % 3 == 0:
            for _ in range(10):
                sock.send(b"x" * 65536)
        else:
            sock.send(b"ping")
        sock.poll(n % 6)
        sock.close()
        time.sleep(0.01)


def test_the_router_and_rep_sockets_keep_answering_while_clients_come_and_go():
    """The kernel's shell and control (ROUTER) and heartbeat (REP) sockets, under clients
    that leave mid-answer (PATCHES.md 2)."""
    proc, (router_at, rep_at) = start_example("router_churn", "30")
    ctx, stop = zmq.Context(io_threads=2), threading.Event()
    workers = [threading.Thread(target=ask_and_leave, args=(ctx, at, kind, w, stop), daemon=True)
               for w, (at, kind) in enumerate([(router_at, zmq.DEALER)] * 9 + [(rep_at, zmq.REQ)] * 3)]
    run_clients(proc, workers, stop)
