# shellcheck shell=bash
# The machinery behind ./course. Sourced, not run.
#
# Every step is idempotent: it checks a stamp or a probe first and does nothing when the
# job is already done, so `./course setup` after an interruption simply finishes it.

EVCXR_VERSION="0.22.0"
GMCOURSE_HOME="${GMCOURSE_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/gmcourse}"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
LOGS="$ROOT/build/logs"
# The course kernel (kernel/, a crate of its own workspace) is built once into a target dir
# shared by every clone, then copied to a folder named after its sources.
KERNEL_TARGET="$GMCOURSE_HOME/kernel-target"
KERNEL_NAME="gmcourse"
KERNEL_DIR="$VENV/share/jupyter/kernels/$KERNEL_NAME"
# The evcxr compile cache (see environment.md, "Why the first cell is fast").
KERNEL_CACHE_HOME="$GMCOURSE_HOME/cache"
# Where this clone's kernels build their cells (kernel/src/work_dir.rs): a folder per clone
# that outlives the kernels, so gmcourse and exercises stay built between them.
KERNEL_WORK="$GMCOURSE_HOME/kernel-work/$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)"
# A ./course started from inside the kernel (`:check`, `:hint`) inherits the kernel's
# profile overrides (setup_kernelspec). The course's own cargo builds keep cargo's checks,
# and share target/ with the prebuilt checker instead of rebuilding it.
unset CARGO_PROFILE_DEV_DEBUG_ASSERTIONS CARGO_PROFILE_DEV_OVERFLOW_CHECKS

# --- messages --------------------------------------------------------------------------

say() { printf '%s\n' "$*"; }
step() { printf '==> %s\n' "$*"; }
# die CAUSE REMEDY: one line of cause, one of remedy, non-zero exit.
die() {
  printf 'error: %s\n' "$1" >&2
  [ -n "${2:-}" ] && printf '  remedy: %s\n' "$2" >&2
  exit 1
}

# Runs a command with its output in a log file; on failure shows the log's tail and dies.
logged() {
  local name="$1" cause="$2" remedy="$3"
  shift 3
  mkdir -p "$LOGS"
  if ! "$@" >"$LOGS/$name.log" 2>&1; then
    tail -n 25 "$LOGS/$name.log" >&2
    die "$cause (full log: build/logs/$name.log)" "$remedy"
  fi
}

# Seconds since a `date +%s%N` stamp, with one decimal.
elapsed() {
  local ms=$(( ($(date +%s%N) - $1) / 1000000 ))
  printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100))
}

sha_of() { cat "$@" 2>/dev/null | sha256sum | cut -c1-16; }

# --- preflight -------------------------------------------------------------------------

preflight() {
  preflight_python
  command -v cargo >/dev/null 2>&1 ||
    die "cargo (the Rust toolchain) was not found" "install Rust with rustup (https://rustup.rs), then open a new shell"
  command -v cc >/dev/null 2>&1 || command -v gcc >/dev/null 2>&1 ||
    die "no C compiler/linker (cc) was found; Rust needs one to link" "install one (Debian/Ubuntu: sudo apt-get install build-essential; macOS: xcode-select --install)"
}

# What .venv alone needs (slides and the site from executed copies need no Rust).
preflight_python() {
  command -v python3 >/dev/null 2>&1 ||
    die "python3 was not found" "install Python 3.9 or newer (Debian/Ubuntu: sudo apt-get install python3 python3-venv)"
  python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' ||
    die "python3 is $(python3 -V 2>&1); the course needs 3.9 or newer" "install a newer Python 3 and put it first on PATH"
  python3 -c 'import venv, ensurepip' >/dev/null 2>&1 ||
    die "python3 cannot create virtual environments (module venv/ensurepip missing)" "install it (Debian/Ubuntu: sudo apt-get install python3-venv)"
}

# --- Python side: .venv with a pinned JupyterLab ----------------------------------------

setup_venv() {
  local lock="$ROOT/scripts/python/requirements.lock"
  local want
  want="$(sha_of "$lock")"
  if [ -x "$PY" ] && [ "$(cat "$VENV/.gmcourse-stamp" 2>/dev/null)" = "$want" ] &&
     "$PY" -c 'import jupyterlab, nbclient, nbconvert, pytest' >/dev/null 2>&1; then
    return 0
  fi
  # A venv whose interpreter no longer runs (moved, Python upgraded, half-created) is rebuilt.
  if [ -d "$VENV" ] && ! "$PY" -c 'import sys' >/dev/null 2>&1; then
    step "the Python environment in .venv is broken; rebuilding it"
    rm -rf "$VENV"
  fi
  step "installing JupyterLab and nbclient into .venv (pinned in scripts/python/requirements.lock)"
  [ -x "$PY" ] || logged venv "could not create .venv" "check that python3 -m venv works, then rerun ./course setup" \
    python3 -m venv "$VENV"
  logged pip "could not install the Python packages from PyPI" \
    "check that this machine reaches PyPI (pip install works), then rerun ./course setup" \
    "$PY" -m pip install --disable-pip-version-check --no-input -r "$lock"
  printf '%s' "$want" >"$VENV/.gmcourse-stamp"
}

# --- Rust side: the course kernel --------------------------------------------------------

# The installed kernel binary for the current kernel/ sources.
kernel_bin() {
  printf '%s/tools/gmcourse-kernel-%s/gmcourse-kernel' "$GMCOURSE_HOME" \
    "$(sha_of "$ROOT/kernel/Cargo.toml" "$ROOT/kernel/Cargo.lock" "$ROOT"/kernel/src/*.rs \
      $(find "$ROOT/kernel/vendor" -name Cargo.toml -o -path '*/src/*.rs' | sort) \
      "$ROOT/grader/contract/Cargo.toml" "$ROOT"/grader/contract/src/*.rs | cut -c1-16)"
}

setup_kernel() {
  local bin
  bin="$(kernel_bin)"
  if [ -x "$bin" ]; then
    return 0
  fi
  step "building the course kernel (kernel/, on the evcxr $EVCXR_VERSION library; the first time about 10 minutes on 2 cores)"
  # --locked: kernel/Cargo.lock holds evcxr_jupyter $EVCXR_VERSION's own versions; newer
  # ones of its dependencies do not compile on current rustc. The binary is copied into
  # place only after a successful build, so an interrupted build leaves nothing broken.
  logged kernel-build "could not build the course kernel" \
    "check that crates.io is reachable and a C compiler works, then rerun ./course setup" \
    env CARGO_TARGET_DIR="$KERNEL_TARGET" cargo build --release --locked \
      --manifest-path "$ROOT/kernel/Cargo.toml"
  mkdir -p "$(dirname "$bin")"
  cp "$KERNEL_TARGET/release/gmcourse-kernel" "$bin.tmp"
  mv -f "$bin.tmp" "$bin"
}

# The kernelspec lives inside .venv, so it never touches a user's own Jupyter kernels.
setup_kernelspec() {
  mkdir -p "$KERNEL_DIR" "$KERNEL_CACHE_HOME"
  local tmp="$KERNEL_DIR/kernel.json.tmp"
  "$PY" - "$tmp" "$(kernel_bin)" "$ROOT" "$KERNEL_CACHE_HOME" "$KERNEL_WORK" <<'PYEOF'
import json, sys
out, kernel, root, cache_home, work = sys.argv[1:]


def tuning(path):
    """The [env] table of a cargo config: `KEY = "value"` lines (tomllib from Python 3.11)."""
    text = open(path, encoding="utf-8").read()
    try:
        import tomllib
        return {k: str(v) for k, v in tomllib.loads(text).get("env", {}).items()}
    except ImportError:
        import re
        section = re.search(r"^\[env\]\s*$(.*?)(?=^\[|\Z)", text, re.M | re.S)
        return dict(re.findall(r'^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"([^"]*)"', section.group(1) if section else "", re.M))


spec = {
    "argv": [kernel, "--control_file", "{connection_file}"],
    "display_name": "Rust (gmcourse)",
    "language": "rust",
    "interrupt_mode": "message",
    "env": {
        # One clear line for a panic instead of a wall of frames.
        "RUST_BACKTRACE": "0",
        # evcxr.toml (offline, opt-level) and init.evcxr (:cache) of the course.
        "EVCXR_CONFIG_DIR": root + "/kernel/evcxr",
        # The course folder for :check and :hint, and the shared first cell the kernel
        # loads in the background while the student reads.
        "GMCOURSE_ROOT": root,
        "GMCOURSE_PRELUDE": root + "/kernel/first-cell.rs",
        # evcxr keeps its compile cache in $XDG_CACHE_HOME/evcxr: the course's own one.
        "XDG_CACHE_HOME": cache_home,
        # The kernel builds cells in a slot of this folder, kept between kernels.
        "GMCOURSE_KERNEL_WORK": work,
        # evcxr builds cells and their dependencies in cargo's dev profile with
        # debug assertions and overflow checks on, even at opt-level 2: candle's and
        # gemm's inner loops then run checks that halve training speed (lesson 09's GAN:
        # 45 steps/s with them, 100 without). Cargo lets the environment override the
        # profile. `./course check` and cargo test keep both checks on.
        "CARGO_PROFILE_DEV_DEBUG_ASSERTIONS": "false",
        "CARGO_PROFILE_DEV_OVERFLOW_CHECKS": "false",
        # Training speed: the [env] table of .cargo/config.toml, the one place where the
        # course tunes candle's threads and glibc's malloc for every process it starts.
        **tuning(root + "/.cargo/config.toml"),
    },
    "metadata": {"gmcourse": {"kernel": kernel, "evcxr": "0.22.0"}},
}
with open(out, "w") as f:
    json.dump(spec, f, indent=2)
PYEOF
  mv -f "$tmp" "$KERNEL_DIR/kernel.json"
}

# Compiles the notebooks' shared first cell once, so that later kernels hit evcxr's cache.
prewarm() {
  local want
  # (the kernelspec's cargo profile overrides are part of what the cache was built with)
  # (the kernel binary is named after its sources, the patched evcxr's cache among them)
  want="$(printf '%s|%s|%s|%s|%s' "$(sha_of "$ROOT/kernel/first-cell.rs" "$ROOT/Cargo.lock" "$ROOT/kernel/evcxr/"*)" \
    "$(rustc -V)" "$EVCXR_VERSION" "$(grep -h CARGO_PROFILE "$KERNEL_DIR/kernel.json" | tr -d ' ')" "$(kernel_bin)")"
  local stamp="$KERNEL_WORK/prewarm.stamp"
  # The shared compile cache carries the same stamp: a hub's start script
  # (classroom/jupyterhub/start-gmcourse.sh) gives a student a fresh copy of the cache when
  # it changes.
  local cache_stamp="$KERNEL_CACHE_HOME/prewarm.stamp"
  # slot-0 is the folder the next kernel builds in: prewarmed, it holds every crate built.
  if [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && [ -d "$KERNEL_WORK/slot-0/target" ]; then
    [ "$(cat "$cache_stamp" 2>/dev/null)" = "$want" ] || printf '%s' "$want" >"$cache_stamp"
    return 0
  fi
  step "pre-warming the kernel's compile cache (once; about 5 minutes on 2 cores)"
  ( cd "$ROOT" && cargo fetch --locked -q ) ||
    die "could not download the Rust dependencies" "check that crates.io is reachable, then rerun ./course setup"
  logged prewarm "the first notebook cell does not compile in the kernel" \
    "read build/logs/prewarm.log; after fixing, rerun ./course setup" \
    "$PY" "$ROOT/scripts/run_notebooks.py" --prewarm
  mkdir -p "$KERNEL_WORK" "$KERNEL_CACHE_HOME"
  printf '%s' "$want" >"$stamp"
  printf '%s' "$want" >"$cache_stamp"
}

# Builds the exercise checker and what it links, so that `./course check` and the
# notebooks' check cells answer in seconds instead of compiling candle first.
prebuild_checker() {
  local want stamp="$ROOT/target/.gmcourse-checker.stamp"
  want="$(sha_of "$ROOT/Cargo.lock" "$ROOT/grader/Cargo.toml")|$(rustc -V)"
  [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && return 0
  step "building the exercise checker (once; a few minutes on 2 cores)"
  logged checker "could not build the exercise checker" \
    "read build/logs/checker.log; after fixing, rerun ./course setup" \
    bash -c "cd '$ROOT' && cargo build --locked -q --release -p course-grader && cargo build --locked -q -p gmcourse -p exercises"
  mkdir -p "$ROOT/target"
  printf '%s' "$want" >"$stamp"
}

# evcxr's cache is not safe against a process killed (or racing) while it rewrites an
# entry's hit counter: an entry whose `hits` is not a number makes every later kernel
# fail with "Failed to wrap rustc: cannot parse integer from empty string". Remove such
# entries (an entry still being written has neither `hits` nor `stderr` and is left).
repair_cache() {
  local dir="$KERNEL_CACHE_HOME/evcxr" entry hits removed=0
  [ -d "$dir" ] || return 0
  for entry in "$dir"/*/; do
    if [ -f "$entry/hits" ]; then
      hits="$(cat "$entry/hits" 2>/dev/null)"
      [[ "$hits" =~ ^[0-9]+$ ]] && continue
    elif [ ! -f "$entry/stderr" ]; then
      continue
    fi
    rm -rf "$entry"
    removed=$((removed + 1))
  done
  [ "$removed" = 0 ] || step "removed $removed damaged entries from the kernel's compile cache"
}

setup_all() {
  preflight
  ensure_bubblewrap
  setup_venv
  setup_kernel
  setup_kernelspec
  repair_cache
  prewarm
  prebuild_checker
}

# --- front end of the slides and the site: reveal.js and MathJax from npm ----------------

WEB_VENDOR="$ROOT/build/vendor"

# Installs the pinned reveal.js and MathJax (scripts/web/package-lock.json) into
# build/vendor/node_modules; scripts/build_web.py copies the files it needs next to the
# decks and pages, so they work offline and opened from disk.
setup_web() {
  local want
  want="$(sha_of "$ROOT/scripts/web/package.json" "$ROOT/scripts/web/package-lock.json")"
  if [ "$(cat "$WEB_VENDOR/.gmcourse-stamp" 2>/dev/null)" = "$want" ] &&
     [ -f "$WEB_VENDOR/node_modules/reveal.js/dist/reveal.js" ] &&
     [ -f "$WEB_VENDOR/node_modules/mathjax/es5/tex-svg-full.js" ]; then
    return 0
  fi
  command -v npm >/dev/null 2>&1 ||
    die "npm (Node.js) was not found; slides and the site need it once to install reveal.js and MathJax" \
      "install Node.js 18 or newer with npm (Debian/Ubuntu: sudo apt-get install nodejs npm), then rerun"
  step "installing reveal.js and MathJax into build/vendor (pinned in scripts/web/package-lock.json)"
  mkdir -p "$WEB_VENDOR"
  cp "$ROOT/scripts/web/package.json" "$ROOT/scripts/web/package-lock.json" "$WEB_VENDOR/"
  logged npm "could not install reveal.js and MathJax from the npm registry" \
    "check that this machine reaches the npm registry (npm ci works), then rerun" \
    npm ci --prefix "$WEB_VENDOR" --no-audit --no-fund --ignore-scripts
  printf '%s' "$want" >"$WEB_VENDOR/.gmcourse-stamp"
}

# --- the class hub: JupyterHub, its idle culler and configurable-http-proxy ------------

HUB_PROXY_DIR="$ROOT/build/hub-proxy"

# Installs what `./course hub`, `./course bench class` and the hub tests need, only when one
# of them runs (a student's `./course lab` does not pay for it): JupyterHub and
# jupyterhub-idle-culler into .venv (scripts/python/hub-requirements.lock, installed with
# requirements.lock as constraints, so the course's own packages keep their versions), and
# configurable-http-proxy from npm into build/hub-proxy (scripts/hub/package-lock.json).
setup_hub() {
  local lock="$ROOT/scripts/python/hub-requirements.lock" want
  want="$(sha_of "$ROOT/scripts/python/requirements.lock" "$lock")"
  if [ "$(cat "$VENV/.gmcourse-hub-stamp" 2>/dev/null)" != "$want" ] ||
     ! "$PY" -c 'import jupyterhub, jupyterhub_idle_culler' >/dev/null 2>&1; then
    step "installing JupyterHub and its idle culler into .venv (pinned in scripts/python/hub-requirements.lock)"
    logged pip-hub "could not install JupyterHub from PyPI" \
      "check that this machine reaches PyPI (pip install works), then rerun" \
      "$PY" -m pip install --disable-pip-version-check --no-input -r "$lock" \
        -c "$ROOT/scripts/python/requirements.lock"
    printf '%s' "$want" >"$VENV/.gmcourse-hub-stamp"
  fi
  want="$(sha_of "$ROOT/scripts/hub/package.json" "$ROOT/scripts/hub/package-lock.json")"
  if [ "$(cat "$HUB_PROXY_DIR/.gmcourse-stamp" 2>/dev/null)" = "$want" ] &&
     [ -x "$HUB_PROXY_DIR/node_modules/.bin/configurable-http-proxy" ]; then
    return 0
  fi
  command -v npm >/dev/null 2>&1 ||
    die "npm (Node.js) was not found; the hub needs it once to install configurable-http-proxy" \
      "install Node.js 18 or newer with npm (Debian/Ubuntu: sudo apt-get install nodejs npm), then rerun"
  step "installing configurable-http-proxy into build/hub-proxy (pinned in scripts/hub/package-lock.json)"
  mkdir -p "$HUB_PROXY_DIR"
  cp "$ROOT/scripts/hub/package.json" "$ROOT/scripts/hub/package-lock.json" "$HUB_PROXY_DIR/"
  logged npm-hub "could not install configurable-http-proxy from the npm registry" \
    "check that this machine reaches the npm registry (npm ci works), then rerun" \
    npm ci --prefix "$HUB_PROXY_DIR" --no-audit --no-fund --ignore-scripts
  printf '%s' "$want" >"$HUB_PROXY_DIR/.gmcourse-stamp"
}

# --- the browser of the real-browser tests: Debian's chromium -------------------------

CHROMIUM="${GMCOURSE_CHROMIUM:-/usr/bin/chromium}"

# Installs Debian's chromium when it is missing (non-interactively, as root or with
# password-less sudo). Returns 1 with one line of cause and one of remedy when it cannot:
# the browser tests then fail with the same remedy; nothing is skipped.
ensure_chromium() {
  if [ -x "$CHROMIUM" ] && "$CHROMIUM" --version >/dev/null 2>&1; then
    return 0
  fi
  local remedy="install Debian's chromium (sudo apt-get install chromium), then rerun ./course test" sudo=""
  if ! command -v apt-get >/dev/null 2>&1; then
    printf 'error: %s was not found and this system has no apt-get to install it\n  remedy: %s (or set GMCOURSE_CHROMIUM to a Chromium binary)\n' "$CHROMIUM" "$remedy" >&2
    return 1
  fi
  if [ "$(id -u)" != 0 ]; then
    if sudo -n true >/dev/null 2>&1; then
      sudo="sudo -n"
    else
      printf 'error: %s was not found, and installing it needs root\n  remedy: %s\n' "$CHROMIUM" "$remedy" >&2
      return 1
    fi
  fi
  step "installing Debian's chromium for the browser tests (once)"
  if ! apt_install "$sudo" chromium "$LOGS/chromium-install.log" || ! "$CHROMIUM" --version >/dev/null 2>&1; then
    tail -n 5 "$LOGS/chromium-install.log" >&2
    printf 'error: could not install chromium with apt-get (full log: build/logs/chromium-install.log)\n  remedy: %s\n' "$remedy" >&2
    return 1
  fi
}

# Installs one Debian package non-interactively, logging to $3. A mirror in the middle of
# a point release, a dpkg run left half-done, or another apt holding its lock fail one
# attempt, not the set-up: each failed attempt finishes pending dpkg work, repairs broken
# dependencies and waits before the next (three attempts).
apt_install() {
  local sudo="$1" pkg="$2" log="$3" attempt
  mkdir -p "$(dirname "$log")"
  : >"$log"
  for attempt in 1 2 3; do
    printf '== attempt %s: apt-get install %s\n' "$attempt" "$pkg" >>"$log"
    if $sudo apt-get update -qq -o DPkg::Lock::Timeout=600 >>"$log" 2>&1 &&
       $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 "$pkg" >>"$log" 2>&1; then
      return 0
    fi
    [ "$attempt" = 3 ] && break
    $sudo env DEBIAN_FRONTEND=noninteractive dpkg --configure -a >>"$log" 2>&1 || true
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -f -o DPkg::Lock::Timeout=600 >>"$log" 2>&1 || true
    sleep $((attempt * 20))
  done
  return 1
}

# bubblewrap: the sandbox in which `grade`, `grade-class` and `validate` run student code
# (grader/src/sandbox.rs). Installed with apt-get where it can be; elsewhere set-up
# goes on and says what that means: a student's own `check` then runs unsandboxed, and
# grading refuses until it is installed (or is given --no-sandbox in a throwaway container).
ensure_bubblewrap() {
  if command -v bwrap >/dev/null 2>&1; then
    return 0
  fi
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    sudo -n true >/dev/null 2>&1 && sudo="sudo -n"
  fi
  if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" = 0 ] || [ -n "$sudo" ]; }; then
    step "installing Debian's bubblewrap, the sandbox for graded code (once)"
    if apt_install "$sudo" bubblewrap "$LOGS/bubblewrap-install.log" && command -v bwrap >/dev/null 2>&1; then
      return 0
    fi
    tail -n 5 "$LOGS/bubblewrap-install.log" >&2
  fi
  say "note: bubblewrap (bwrap) is not installed, so there is no sandbox for graded code."
  say "  Your own ./course check and :check still work (unsandboxed, on your own code);"
  say "  ./course grade, grade-class and validate refuse until you install it"
  say "  (Debian/Ubuntu: sudo apt-get install bubblewrap) or pass --no-sandbox in a throwaway container."
  return 0
}

# --- commands ---------------------------------------------------------------------------

run_lab() {
  local port="" browser="" arg
  while [ $# -gt 0 ]; do
    arg="$1"; shift
    case "$arg" in
      --port) port="${1:?--port needs a number}"; shift ;;
      --port=*) port="${arg#--port=}" ;;
      --no-browser) browser="--no-browser" ;;
      *) die "unknown option '$arg' for ./course lab" "use ./course lab [--port N] [--no-browser]" ;;
    esac
  done
  if [ -n "$port" ]; then
    "$PY" - "$port" <<'PYEOF' || die "port $port is already in use" "pick another one: ./course lab --port $((port + 1))"
import socket, sys
s = socket.socket()
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
PYEOF
  else
    port="$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  fi
  [ -z "$browser" ] && [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ "$(uname)" != Darwin ] && browser="--no-browser"
  # Containers and CI often run as root, which Jupyter refuses without this flag.
  local root_flag=""
  [ "$(id -u)" = 0 ] && root_flag="--allow-root"
  say "JupyterLab: open the URL printed below (the kernel is \"Rust (gmcourse)\"). Stop with Ctrl-C."
  mkdir -p "$GMCOURSE_HOME/jupyterlab"
  cd "$ROOT/notebooks"
  # A caller's own JUPYTERLAB_*_DIR wins (the browser test points them at a scratch folder).
  JUPYTERLAB_SETTINGS_DIR="${JUPYTERLAB_SETTINGS_DIR:-$GMCOURSE_HOME/jupyterlab/settings}" \
  JUPYTERLAB_WORKSPACES_DIR="${JUPYTERLAB_WORKSPACES_DIR:-$GMCOURSE_HOME/jupyterlab/workspaces}" \
  JUPYTER_RUNTIME_DIR="$GMCOURSE_HOME/jupyterlab/runtime" \
  PATH="$VENV/bin:$PATH" exec "$VENV/bin/jupyter" lab --port="$port" --ServerApp.port_retries=0 \
    --ServerApp.root_dir="$ROOT/notebooks" --MultiKernelManager.default_kernel_name="$KERNEL_NAME" \
    $browser $root_flag
}

run_notebooks() {
  "$PY" "$ROOT/scripts/run_notebooks.py" "$@"
}

# ./course slides [NN ...] / ./course site: decks and site from build/notebooks/. Needs only
# .venv and the npm packages; a missing executed copy is produced with ./course notebooks.
run_web() {
  local what="$1"
  shift
  preflight_python
  setup_venv
  setup_web
  "$PY" "$ROOT/scripts/build_web.py" "$what" "$@"
}

run_grader() {
  local cmd="$1"
  shift
  [ -f "$ROOT/grader/Cargo.toml" ] ||
    die "the grader is not built into this checkout yet" "update your clone (git pull) and rerun"
  ( cd "$ROOT" && cargo run -q --release -p course-grader -- "$cmd" "$@" )
}

# ./course train [NN ...]: the lessons' heavier models, trained for minutes and saved to
# build/checkpoints/ (gmcourse/examples/course_train.rs); notebooks load them if present.
run_train() {
  preflight
  ( cd "$ROOT" && cargo run --locked -q --release -p gmcourse --example course_train -- "$@" )
}

# ./course bench [NAME ...]: bench/NAME.py (course Python), bench/NAME.sh, or the Rust
# bench gmcourse/benches/NAME.rs. Without a name, every benchmark in turn.
run_bench() {
  # ./course bench [NAME...] [--option ...]: options after the names go to the one benchmark named
  local names=() name rc=0
  while [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; do names+=("$1"); shift; done
  if [ $# -gt 0 ] && [ ${#names[@]} -ne 1 ]; then
    die "options ($*) need exactly one benchmark to go to" "name one, e.g. ./course bench grade_class --students 20"
  fi
  for name in "${names[@]}"; do
    [ -f "$ROOT/bench/$name.py" ] || [ -f "$ROOT/bench/$name.sh" ] || [ -f "$ROOT/gmcourse/benches/$name.rs" ] ||
      die "no benchmark named '$name'" "see bench/ and gmcourse/benches/ for the names"
  done
  setup_all
  if [ ${#names[@]} -eq 0 ]; then
    for f in "$ROOT"/bench/*.py "$ROOT"/bench/*.sh "$ROOT"/gmcourse/benches/*.rs; do
      [ -e "$f" ] && names+=("$(basename "${f%.*}")")
    done
    # bench/NAME.sh runs gmcourse/benches/NAME.rs itself: each name once
    mapfile -t names < <(printf '%s\n' "${names[@]}" | awk '!seen[$0]++')
  fi
  for name in "${names[@]}"; do
    step "benchmark: $name"
    # the class simulation runs a real hub: installed only for it
    [ "$name" = class ] && setup_hub
    if [ -f "$ROOT/bench/$name.py" ]; then
      "$PY" "$ROOT/bench/$name.py" "$@" || rc=1
    elif [ -f "$ROOT/bench/$name.sh" ]; then
      bash "$ROOT/bench/$name.sh" "$@" || rc=1
    else
      ( cd "$ROOT" && cargo bench -q -p gmcourse --bench "$name" -- "$@" ) || rc=1
    fi
  done
  return "$rc"
}

uninstall_all() {
  say "This removes $VENV and $GMCOURSE_HOME."
  say "Your notebooks, your exercises/ and build/ stay; the repository stays."
  rm -rf "$VENV" "$GMCOURSE_HOME"
  say "Done. To remove everything, delete this folder too."
}

# --- the test suite: what CI runs ---------------------------------------------------------

run_test_suite() {
  local t0 t results=()
  TEST_PASSED=0
  TEST_FAILED=0
  phase() {
    local name="$1"
    shift
    t0=$(date +%s%N)
    step "phase: $name"
    if "$@"; then
      t="$(elapsed "$t0")"
      results+=("$(printf '%-11s ok      %7s s' "$name" "$t")")
      say "[time] $name: $t s"
    else
      t="$(elapsed "$t0")"
      results+=("$(printf '%-11s FAILED  %7s s' "$name" "$t")")
      say "[time] $name: $t s (FAILED)"
      SUITE_FAILED=1
    fi
  }
  SUITE_FAILED=0
  phase install setup_all
  if [ "$SUITE_FAILED" = 1 ]; then
    printf '%s\n' "${results[@]}"
    die "set-up failed, so no tests ran" "fix the set-up error above and rerun ./course test"
  fi
  phase build test_build
  phase rust-tests test_rust
  phase exercises test_exercises
  phase notebooks test_notebooks
  phase python test_python
  say ""
  say "phase        status      time"
  printf '%s\n' "${results[@]}"
  say "total: $TEST_PASSED passed, $TEST_FAILED failed"
  [ "$SUITE_FAILED" = 0 ] && [ "$TEST_FAILED" = 0 ]
}

# Adds "N passed" / "N failed" counts found in a log (cargo's and pytest's closing lines).
count_results() {
  local p f
  p=$(grep -Eo '[0-9]+ passed' "$1" | awk '{s+=$1} END {print s+0}')
  f=$(grep -Eo '[0-9]+ (failed|errors?)\b' "$1" | awk '{s+=$1} END {print s+0}')
  TEST_PASSED=$((TEST_PASSED + p))
  TEST_FAILED=$((TEST_FAILED + f))
}

test_build() {
  ( cd "$ROOT" && cargo build --workspace --all-targets --locked )
}

test_rust() {
  mkdir -p "$LOGS"
  local log="$LOGS/cargo-test.log" rc=0
  # exercises/ holds the student stubs: their public tests fail by design until solved;
  # `./course validate` checks them instead.
  ( cd "$ROOT" && cargo test --workspace --exclude exercises --locked ) >"$log" 2>&1 || rc=$?
  # The CPU and the kernel path the course chose (models::nn::cpu), for the log: the one
  # test that prints it, rerun with its output shown (the same build, nothing compiles; the
  # other test binaries start and run nothing: about a second).
  ( cd "$ROOT" && cargo test --workspace --exclude exercises --locked --tests -- \
    --nocapture --exact cpu_paths_detected ) >"$LOGS/cpu.log" 2>&1 || rc=$?
  grep '^cpu: ' "$LOGS/cpu.log" >>"$log" || true
  # The course kernel is a workspace of its own (kernel/Cargo.toml); its build is shared
  # with set-up's, so this compiles only the tests.
  CARGO_TARGET_DIR="$KERNEL_TARGET" cargo test --release --locked \
    --manifest-path "$ROOT/kernel/Cargo.toml" >>"$log" 2>&1 || rc=$?
  grep -E '^(test result|     Running|   Doc-tests|error|failures:|    [A-Za-z_:]+$|thread .* panicked|cpu: )' "$log" || true
  count_results "$log"
  return "$rc"
}

test_exercises() {
  ( cd "$ROOT" && cargo fmt --all -- --check ) || { say "rustfmt: run 'cargo fmt --all'"; return 1; }
  ( cd "$ROOT/kernel" && cargo fmt -- --check ) || { say "rustfmt: run 'cd kernel && cargo fmt'"; return 1; }
  if [ -f "$ROOT/grader/Cargo.toml" ]; then
    run_grader gen --check && run_grader validate
  fi
}

test_notebooks() {
  local log="$LOGS/notebooks.log" rc=0
  "$PY" "$ROOT/scripts/run_notebooks.py" --check-clean >"$log" 2>&1 || rc=$?
  cat "$log"
  count_results "$log"
  return "$rc"
}

test_python() {
  local log="$LOGS/pytest.log" rc=0
  # The browser tests need Chromium, and the slides and site they open need reveal.js
  # and MathJax. When either cannot be installed, its tests fail with the remedy.
  ensure_chromium || rc=1
  ( setup_web ) || rc=1
  ( cd "$ROOT" && "$PY" -m pytest -q scripts/tests ) >"$log" 2>&1 || rc=$?
  cat "$log"
  count_results "$log"
  return "$rc"
}
