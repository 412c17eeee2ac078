#!/usr/bin/env bash
# Starts a student's single-user server: in the course image (Dockerfile here, one student
# per container) and on the course's own hub (`./course hub`, scripts/hub/, every student a
# home folder on one machine).
#
# COURSE names the installed course (the image: /opt/gmcourse; `./course hub`: the
# instructor's clone). The first time, the student gets their own copy of it in their home
# (~/gmcourse: notebooks, exercises, the gmcourse crate, the grader), without the
# instructors' solutions/ (reference solutions and hidden tests); later starts keep their
# work. The installed parts stay shared: .venv (JupyterLab, the kernel) and
# $GMCOURSE_HOME (the course kernel and its pre-warmed compile cache).
#
# Each start also writes the student's own kernel spec (in ~/.local/share/gmcourse-jupyter,
# put first on JUPYTER_PATH): the installed one with GMCOURSE_ROOT set to
# the student's copy, so that `:check` tests the student's exercises/, not the installed
# course's. With GMCOURSE_STUDENT_CACHE=1 (several students on one machine), the
# kernel's compile cache is the student's own: a copy of the shared, pre-warmed one, its
# compiled dependencies hard links (no disk used) and the one file evcxr rewrites on every
# cache hit (`hits`) private, so that no kernel of another student can read it while it is
# being rewritten (environment.md, "The compile cache on a shared machine").
set -euo pipefail
: "${COURSE:?COURSE must name the installed course folder (the image and ./course hub set it)}"
GMCOURSE_HOME="${GMCOURSE_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/gmcourse}"
python="$COURSE/.venv/bin/python"
dest="$HOME/gmcourse"

if [ ! -e "$dest/course" ]; then
  rm -rf "$dest.partial"
  mkdir -p "$dest.partial"
  tar -C "$COURSE" --exclude=./.venv --exclude=./target --exclude=./build --exclude=./.git \
    --exclude=./solutions -cf - . | tar -C "$dest.partial" -xf -
  # solutions/ stays with the instructors; the copy's workspace does without it
  sed -i -E 's/,[[:space:]]*"solutions"|"solutions",[[:space:]]*//' "$dest.partial/Cargo.toml"
  # The first `:check` builds the grader and gmcourse with its dependencies (candle, ...)
  # in the copy's target/: minutes of both cores for each student. When the installed
  # course has a target/ on the same disk, the copy starts from hard links to it: cargo
  # writes new files for what it rebuilds (the crates of the student's copy, which live at
  # another path) and leaves the installed dependencies' files as they are. Its lock files
  # and compiler-information cache, which it opens for writing, are the student's own.
  if [ -d "$COURSE/target" ] && cp -al "$COURSE/target" "$dest.partial/target" 2>/dev/null; then
    rm -f "$dest.partial/target/.rustc_info.json" "$dest.partial"/target/*/.cargo-lock
  else
    rm -rf "$dest.partial/target"
  fi
  mv "$dest.partial" "$dest"
fi
# ./course in the student's copy (check, hint, progress) finds the installed environment.
[ -e "$dest/.venv" ] || ln -s "$COURSE/.venv" "$dest/.venv"

cache="$GMCOURSE_HOME/cache"
if [ "${GMCOURSE_STUDENT_CACHE:-0}" = 1 ]; then
  shared="$cache"
  cache="$HOME/.cache/gmcourse-kernel"
  # linked at the first start, and again whenever the shared cache was warmed anew
  if [ -d "$shared/evcxr" ] && { [ ! -d "$cache/evcxr" ] ||
     [ "$(cat "$cache/prewarm.stamp" 2>/dev/null)" != "$(cat "$shared/prewarm.stamp" 2>/dev/null)" ]; }; then
    rm -rf "$cache.partial"
    mkdir -p "$cache.partial"
    cp -al "$shared/evcxr" "$cache.partial/evcxr" 2>/dev/null ||
      { rm -rf "$cache.partial/evcxr"; cp -a "$shared/evcxr" "$cache.partial/evcxr"; }
    # An entry still being written (no `stderr` yet) would be a miss for the student's
    # kernel, which would then write its artifacts over the links, into the shared cache:
    # left out.
    for entry in "$cache.partial/evcxr"/*/; do
      [ -f "$entry/stderr" ] || rm -rf "$entry"
    done
    # evcxr rewrites `hits` in place on every hit (and `stderr`, `meta` when it fills an
    # entry): private copies, so that the shared files are never written through a link
    find "$cache.partial/evcxr" -type f \( -name hits -o -name stderr -o -name meta \) \
      -exec sh -c 'for f; do cp "$f" "$f.own" && mv -f "$f.own" "$f"; done' sh {} +
    cp "$shared/prewarm.stamp" "$cache.partial/prewarm.stamp" 2>/dev/null || true
    rm -rf "$cache"
    mv "$cache.partial" "$cache"
  fi
fi

# JUPYTER_PATH comes before every other place Jupyter looks for kernel specs (a server in a
# virtual environment otherwise prefers the environment's own).
export JUPYTER_PATH="$HOME/.local/share/gmcourse-jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
spec="$HOME/.local/share/gmcourse-jupyter/kernels/gmcourse"
mkdir -p "$spec"
# The kernel builds cells in slots of a work folder (kernel/src/work_dir.rs): the
# student's own, never the installer's, which other students' kernels would share.
"$python" - "$COURSE/.venv/share/jupyter/kernels/gmcourse/kernel.json" "$spec/kernel.json" "$dest" "$cache" \
  "$HOME/.cache/gmcourse-kernel-work" <<'PYEOF'
import json, os, sys
src, out, root, cache, work = sys.argv[1:]
spec = json.load(open(src))
spec["env"]["GMCOURSE_ROOT"] = root
spec["env"]["XDG_CACHE_HOME"] = cache
spec["env"]["GMCOURSE_KERNEL_WORK"] = work
with open(out + ".tmp", "w") as f:
    json.dump(spec, f, indent=2)
os.replace(out + ".tmp", out)
PYEOF

cd "$HOME"
# Containers and the course's own hub for an instructor who is root run the server as root,
# which Jupyter refuses without this flag.
root_flag=()
[ "$(id -u)" = 0 ] && root_flag=(--ServerApp.allow_root=True)
exec "$COURSE/.venv/bin/jupyterhub-singleuser" \
  --MultiKernelManager.default_kernel_name=gmcourse "${root_flag[@]}" "$@"
