# JupyterHub configuration of the course's own class hub (`./course hub`, `./course bench
# class`, scripts/tests/test_hub.py). scripts/hub/hub.py starts JupyterHub with it and sets
# the GMCOURSE_HUB_* variables below; read classroom/README.md and docs/instructor-guide.md,
# "A hub on one machine".
#
# - Students are home folders, GMCOURSE_HUB_DIR/homes/<name>, and their servers run as the
#   account that started the hub (JupyterHub's SimpleLocalProcessSpawner): this works for
#   an instructor who is not root, and isolates students' files from each other only by
#   convention. For separate accounts on a lab machine, see the guide.
# - Each student's server starts with classroom/jupyterhub/start-gmcourse.sh, the same
#   script as the container image's: a copy of the course in the student's home, their own
#   kernel spec, and (GMCOURSE_STUDENT_CACHE=1) their own compile cache seeded from the
#   pre-warmed one.
# - The proxy is configurable-http-proxy from npm (scripts/hub/package-lock.json).
# - jupyterhub-idle-culler stops servers idle for GMCOURSE_HUB_CULL_TIMEOUT seconds; a
#   student's files stay.
import os
import secrets
import sys
from pathlib import Path

from jupyterhub.spawner import SimpleLocalProcessSpawner

c = get_config()  # noqa: F821 (JupyterHub's config loader defines it)

env = os.environ
ROOT = Path(env["GMCOURSE_HUB_COURSE"])
HUB_DIR = Path(env["GMCOURSE_HUB_DIR"])
HOMES = HUB_DIR / "homes"
HOMES.mkdir(parents=True, exist_ok=True)

c.JupyterHub.bind_url = f"http://127.0.0.1:{env['GMCOURSE_HUB_PORT']}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{env['GMCOURSE_HUB_API_PORT']}"
c.ConfigurableHTTPProxy.command = [env["GMCOURSE_HUB_PROXY"]]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{env['GMCOURSE_HUB_PROXY_API_PORT']}"
c.ConfigurableHTTPProxy.auth_token = secrets.token_hex(32)
c.JupyterHub.db_url = f"sqlite:///{HUB_DIR / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(HUB_DIR / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(HUB_DIR / "jupyterhub.pid")
# Stopping the hub stops every student's server (their files stay).
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True
# The hub reads the proxy's activity record this often (seconds): the culler's figures.
c.JupyterHub.last_activity_interval = int(env.get("GMCOURSE_HUB_ACTIVITY_INTERVAL", "300"))

# A trial hub: any user name, one shared password. A class uses a real authenticator.
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = env["GMCOURSE_HUB_PASSWORD"]
c.Authenticator.allow_all = True
c.Authenticator.admin_users = {"instructor"}


class StudentFolderSpawner(SimpleLocalProcessSpawner):
    """A student is a home folder; the server runs as the hub's account."""


c.JupyterHub.spawner_class = StudentFolderSpawner
c.StudentFolderSpawner.home_dir_template = str(HOMES / "{username}")
c.Spawner.cmd = [str(ROOT / "classroom" / "jupyterhub" / "start-gmcourse.sh")]
c.Spawner.default_url = "/lab/tree/gmcourse/notebooks/00-welcome.ipynb"
# The first start copies the course (a few MB) and links the compile cache: seconds.
c.Spawner.start_timeout = 300
c.Spawner.http_timeout = 120
# A student's HOME is their folder, so the toolchain and the shared kernel are named
# explicitly: the hub's own (a lab machine installs them system-wide).
home = Path.home()
rustup = env.get("RUSTUP_HOME") or str(home / ".rustup")
cargo = env.get("CARGO_HOME") or str(home / ".cargo")
c.Spawner.environment = {
    "COURSE": str(ROOT),
    "GMCOURSE_HOME": env["GMCOURSE_HOME"],
    "GMCOURSE_STUDENT_CACHE": env.get("GMCOURSE_HUB_STUDENT_CACHE", "1"),
    "RUSTUP_HOME": rustup,
    "CARGO_HOME": cargo,
    "PATH": f"{ROOT / '.venv' / 'bin'}:{cargo}/bin:{env.get('PATH', '/usr/local/bin:/usr/bin:/bin')}",
    "RUST_BACKTRACE": "0",
}

# Services: the idle culler, and (when given a token) the class simulation's admin client.
cull_timeout = int(env.get("GMCOURSE_HUB_CULL_TIMEOUT", "3600"))
cull_every = int(env.get("GMCOURSE_HUB_CULL_EVERY", str(max(cull_timeout // 12, 1))))
services = [
    {
        "name": "idle-culler",
        "command": [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={cull_timeout}",
            f"--cull-every={cull_every}",
        ],
    }
]
roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]
if env.get("GMCOURSE_HUB_ADMIN_TOKEN"):
    services.append({"name": "class-admin", "api_token": env["GMCOURSE_HUB_ADMIN_TOKEN"]})
    roles.append({"name": "admin", "services": ["class-admin"]})
c.JupyterHub.services = services
c.JupyterHub.load_roles = roles
