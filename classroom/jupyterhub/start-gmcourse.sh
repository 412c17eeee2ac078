#!/usr/bin/env bash
# Starts a student's single-user server in the course image (Dockerfile here).
#
# The first time, the student gets their own copy of the course in their persistent home
# (~/gmcourse: notebooks, exercises, the gmcourse crate); later starts keep their work.
# The installed parts stay in the image and are shared: .venv (JupyterLab, the kernelspec)
# and $GMCOURSE_HOME (the course kernel and its pre-warmed compile cache).
set -euo pipefail
dest="$HOME/gmcourse"
if [ ! -e "$dest/course" ]; then
  rsync -a --exclude .venv --exclude target --exclude build --exclude .git "$COURSE"/ "$dest"/
fi
# ./course in the student's copy (check, hint, progress) finds the image's environment.
[ -e "$dest/.venv" ] || ln -s "$COURSE/.venv" "$dest/.venv"
cd "$HOME"
exec "$COURSE/.venv/bin/jupyterhub-singleuser" \
  --MultiKernelManager.default_kernel_name=gmcourse "$@"
