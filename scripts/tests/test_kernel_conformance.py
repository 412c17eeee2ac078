"""The Jupyter project's kernel conformance suite (jupyter_kernel_test) against the
course kernel, plus the course's own promises: a panic is an error, output is never
lost, live displays update in place, bad cells leave the kernel answering.

The whole conformance class runs three times, each on a fresh kernel, because the
failures it guards against (lost output, an idle status before the output) are races.
"""
import time
import unittest

import pytest
from jupyter_client.manager import start_new_kernel
import jupyter_kernel_test as jkt

KERNEL = "gmcourse"

DISPLAY = 'println!("GMCOURSE_DISPLAY {}", r#"{"op":"display","id":"conf","data":{"text/plain":"shown"}}"#);'
CLEAR = 'println!("GMCOURSE_DISPLAY {}", r#"{"op":"clear","wait":false}"#);'


class CourseKernelConformance(jkt.KernelTests):
    kernel_name = KERNEL
    language_name = "Rust"
    file_extension = ".rs"

    code_hello_world = 'println!("hello, world");'
    code_stderr = 'eprintln!("a line on stderr");'
    code_generate_error = 'panic!("boom");'
    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": '"gm".to_string() + "course"', "result": '"gmcourse"'},
    ]
    code_display_data = [{"code": DISPLAY, "mime": "text/plain"}]
    code_clear_output = CLEAR
    complete_code_samples = ["let x = 1;", "fn f() -> u8 { 1 }", ":dep rand = \"0.9\"", "let s = \"{\";"]
    incomplete_code_samples = ["fn f() {", "let v = vec![1,", "let s = \"open", "/* open"]
    invalid_code_samples = ["}", "let x = (1];"]
    completion_samples = [{"text": "let v: Vec<u8> = Vec::with_capa", "matches": {"with_capacity(capacity)"}}]
    supported_history_operations = ("tail", "range", "search")
    code_history_pattern = "6 ?*"
    code_inspect_sample = "std::vec::Vec"


# Three independent runs, each with its own kernel.
for run in (1, 2, 3):
    globals()[f"TestConformanceRun{run}"] = type(
        f"TestConformanceRun{run}", (CourseKernelConformance,), {}
    )
del CourseKernelConformance


# --- the course's promises beyond the protocol -----------------------------------------


@pytest.fixture(scope="module")
def kernel():
    km, kc = start_new_kernel(kernel_name=KERNEL)
    yield kc
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def run(kc, code, timeout=120):
    """Executes `code`; returns (reply content, list of iopub messages up to idle)."""
    msg_id = kc.execute(code)
    reply = kc.get_shell_msg(timeout=timeout)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=timeout)
    msgs = []
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
        if msg["msg_type"] not in ("status", "execute_input"):
            msgs.append(msg)
    return reply["content"], msgs


def stdout_of(msgs):
    return "".join(m["content"]["text"] for m in msgs if m["msg_type"] == "stream" and m["content"]["name"] == "stdout")


def test_panic_is_an_error_with_its_message_and_earlier_variables_survive(kernel):
    reply, _ = run(kernel, "let kept = 41;")
    assert reply["status"] == "ok"
    reply, msgs = run(kernel, 'let lost = 1;\nlet v: Vec<u8> = Vec::new();\nprintln!("{}", v[3]);')
    assert reply["status"] == "error"
    errors = [m for m in msgs if m["msg_type"] == "error"]
    assert len(errors) == 1, msgs
    assert errors[0]["content"]["ename"] == "panic"
    assert "index out of bounds" in errors[0]["content"]["evalue"]
    assert len(errors[0]["content"]["traceback"]) <= 3, "one clear line, no wall of frames"
    reply, msgs = run(kernel, "kept + 1")
    assert reply["status"] == "ok"
    assert msgs[-1]["content"]["data"]["text/plain"] == "42"


def test_every_line_of_output_arrives_before_idle(kernel):
    # The lost-output race of evcxr_jupyter: the reply and idle overtook the last lines.
    for attempt in range(5):
        reply, msgs = run(kernel, 'for i in 0..200 { println!("line {i}"); }\nprintln!("last line");')
        assert reply["status"] == "ok"
        text = stdout_of(msgs)
        want = [f"line {i}" for i in range(200)] + ["last line"]
        assert text.splitlines() == want, f"attempt {attempt}: {text[-200:]!r}"


def test_every_line_of_stderr_arrives_before_idle(kernel):
    # stderr is a separate pipe that evcxr reads on its own thread; the kernel waits until
    # that pipe is empty before it replies.
    for attempt in range(5):
        reply, msgs = run(kernel, 'println!("out");\nfor i in 0..200 { eprintln!("err {i}"); }')
        assert reply["status"] == "ok"
        err = "".join(m["content"]["text"] for m in msgs if m["msg_type"] == "stream" and m["content"]["name"] == "stderr")
        assert err.splitlines() == [f"err {i}" for i in range(200)], f"attempt {attempt}: {err[-200:]!r}"
        assert stdout_of(msgs) == "out\n"


def test_live_display_updates_in_place(kernel):
    code = "\n".join(
        [
            'println!("GMCOURSE_DISPLAY {}", r#"{"op":"display","id":"bar","data":{"text/plain":"step 1"}}"#);',
            'println!("GMCOURSE_DISPLAY {}", r#"{"op":"update","id":"bar","data":{"text/plain":"step 2"}}"#);',
        ]
    )
    reply, msgs = run(kernel, code)
    assert reply["status"] == "ok"
    kinds = [(m["msg_type"], m["content"].get("transient", {}).get("display_id")) for m in msgs]
    assert kinds == [("display_data", "bar"), ("update_display_data", "bar")]
    assert msgs[1]["content"]["data"]["text/plain"] == "step 2"


def test_a_flood_of_output_is_capped_and_the_kernel_answers(kernel):
    # 100 MB of output: the cell shows at most 4 MiB and says how much it left out.
    code = 'let line = "x".repeat(999);\nfor _ in 0..100_000 { println!("{line}"); }'
    t0 = time.time()
    reply, msgs = run(kernel, code, timeout=300)
    assert reply["status"] == "ok"
    shown = sum(len(m["content"]["text"]) for m in msgs if m["msg_type"] == "stream" and m["content"]["name"] == "stdout")
    assert shown <= 4 << 20
    notes = [m["content"]["text"] for m in msgs if m["msg_type"] == "stream" and m["content"]["name"] == "stderr"]
    assert any("more lines of output were not shown" in n for n in notes), notes
    reply, _ = run(kernel, "1 + 1")
    assert reply["status"] == "ok", f"kernel stopped answering after the flood ({time.time() - t0:.0f} s)"


def test_process_exit_is_reported_and_the_kernel_recovers(kernel):
    reply, msgs = run(kernel, "std::process::exit(3);")
    assert reply["status"] == "error"
    errors = [m for m in msgs if m["msg_type"] == "error"]
    assert errors and errors[0]["content"]["ename"] == "ProcessExited"
    assert "variable" in errors[0]["content"]["evalue"]
    reply, msgs = run(kernel, 'println!("alive");')
    assert reply["status"] == "ok" and "alive" in stdout_of(msgs)
    # The panic hook is installed again in the new process.
    reply, msgs = run(kernel, 'panic!("after restart");')
    assert reply["status"] == "error"
    assert [m["content"]["ename"] for m in msgs if m["msg_type"] == "error"] == ["panic"]


def test_interrupt_stops_an_endless_loop_and_says_variables_are_gone():
    km, kc = start_new_kernel(kernel_name=KERNEL)
    try:
        run(kc, "let before = 1;")
        msg_id = kc.execute('println!("spinning");\nloop { std::hint::spin_loop(); }')
        # Interrupt only once the loop runs (after the compile, however long that takes).
        while True:
            msg = kc.get_iopub_msg(timeout=300)
            if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "stream" \
                    and "spinning" in msg["content"]["text"]:
                break
        km.interrupt_kernel()
        reply = kc.get_shell_msg(timeout=60)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = kc.get_shell_msg(timeout=60)
        assert reply["content"]["status"] == "error"
        assert reply["content"]["ename"] == "Interrupted"
        assert "every variable is gone" in reply["content"]["evalue"]
        reply, msgs = run(kc, 'println!("still here");')
        assert reply["status"] == "ok" and "still here" in stdout_of(msgs)
        reply, _ = run(kc, "before")
        assert reply["status"] == "error", "the interrupt's message promised the variables were gone"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_course_commands_show_a_hint_and_explain_a_bad_argument(kernel):
    reply, msgs = run(kernel, ":hint 3.1")
    assert reply["status"] == "ok"
    assert "self_information_bits" in stdout_of(msgs)
    reply, msgs = run(kernel, ":check")
    assert reply["status"] == "error"
    assert "lesson number" in reply["evalue"]


def test_check_shows_the_graders_report_as_a_table(kernel):
    # the stubs fail their public tests by their todo!(): a normal outcome, not an error
    reply, msgs = run(kernel, ":check 01", timeout=600)
    assert reply["status"] == "ok", reply
    html = [m["content"]["data"]["text/html"] for m in msgs
            if m["msg_type"] in ("display_data", "execute_result")
            and "text/html" in m["content"].get("data", {})]
    assert len(html) == 1, msgs
    table = html[0]
    assert "<table>" in table and "marginal of die and coin" in table
    assert "not yet implemented" in table and "hidden: 11 tests" in table
    # a lesson that does not exist is an error that says which lessons do
    reply, _ = run(kernel, ":check 99", timeout=600)
    assert reply["status"] == "error" and "01" in reply["evalue"], reply


if __name__ == "__main__":
    unittest.main()
