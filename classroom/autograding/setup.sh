#!/usr/bin/env bash
# Gradescope's set-up for gmcourse, run once when the autograder image is built (Ubuntu).
# It installs what the grader needs (a C compiler, Python 3, Rust) and builds the grader
# and the course crate once, so that grading a submission only compiles the student's code.
set -euo pipefail
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends build-essential ca-certificates curl python3 bubblewrap
if ! command -v cargo >/dev/null 2>&1; then
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
fi
. "$HOME/.cargo/env"
cd /autograder/source
cargo fetch --locked
# Grading the shipped stubs builds everything a real submission needs (every test fails).
./course grade exercises --json /tmp/warm.json >/dev/null
