"""JupyterHub for the course on one machine: local trials, and small classes on a server you trust.

Run it from the course's virtual environment (the hub, the students' servers and their kernels all
use it):

    export BALANCING_ACT_HUB_PASSWORD='a class password'   # at least 8 characters
    .venv/bin/jupyterhub -f deploy/jupyterhub/jupyterhub_config.py

then open http://127.0.0.1:8000, log in with any user name and that password. Each student gets a
JupyterLab server with its own home folder under ``$BALANCING_ACT_HUB_DIR/homes/<name>``; the first
page pulls the course into ``~/course`` with nbgitpuller and opens Lesson 0. A student's progress
file is ``~/.local/share/balancing-act/progress.json`` in that home (see ``balancing_act.progress``).

This uses JupyterHub's SimpleLocalProcessSpawner: every student's server runs as the same system
user, with no isolation between students, and a shared password. That is fine on a laptop or a
machine used by one class you trust; for anything else use The Littlest JupyterHub or Zero to
JupyterHub (see README.md next to this file).

Environment variables, read when the hub starts:

``BALANCING_ACT_HUB_PASSWORD``   the shared password for students (required, 8 characters or more)
``BALANCING_ACT_HUB_DIR``        the hub's folder: database, cookie secret, homes/ (default ``./hub``)
``BALANCING_ACT_HUB_ROSTER``     optional file of user names, one a line: only they may log in
``BALANCING_ACT_HUB_ADMIN_TOKEN`` optional API token for the ``course-admin`` service (create users,
                                 start and stop servers through the REST API)

Command-line options override anything here, e.g. ``--JupyterHub.bind_url=http://0.0.0.0:8000``.
"""

import os
import sys
from pathlib import Path

from balancing_act import course

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

_MIN_PASSWORD = 8
_password = os.environ.get("BALANCING_ACT_HUB_PASSWORD", "")
if len(_password) < _MIN_PASSWORD:
    raise SystemExit(
        f"BALANCING_ACT_HUB_PASSWORD must be set to the class password, at least {_MIN_PASSWORD} characters "
        f"(it has {len(_password)}). Example: export BALANCING_ACT_HUB_PASSWORD='choose-a-class-password'"
    )

_state = Path(os.environ.get("BALANCING_ACT_HUB_DIR", "hub")).expanduser().absolute()
(_state / "homes").mkdir(parents=True, exist_ok=True)

# Where the hub listens: loopback only unless told otherwise on the command line.
c.JupyterHub.bind_url = "http://127.0.0.1:8000"
c.JupyterHub.db_url = f"sqlite:///{_state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(_state / "jupyterhub_cookie_secret")

# Log in: one shared password (JupyterHub 5.3+), optionally only for the names on a roster.
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = _password
_roster = os.environ.get("BALANCING_ACT_HUB_ROSTER", "").strip()
if _roster:
    _names = [line.strip() for line in Path(_roster).read_text(encoding="utf-8").splitlines()]
    c.Authenticator.allowed_users = {name for name in _names if name and not name.startswith("#")}
else:
    c.Authenticator.allow_all = True
# Users created by an admin (admin page or REST API) may log in too.
c.Authenticator.allow_existing_users = True

# One JupyterLab server per student, as the user running the hub, in a home folder of its own.
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(_state / "homes" / "{username}")
_singleuser = Path(sys.executable).with_name("jupyterhub-singleuser")
if _singleuser.exists():
    c.Spawner.cmd = [str(_singleuser)]
# All students' kernels share this machine's ports. Without the port cache a kernel whose port was
# taken by another student's kernel in the same instant restarts on new ports; with it (the default)
# the restart reuses the taken port and the kernel dies.
c.Spawner.args = ["--KernelManager.cache_ports=False"]
if os.geteuid() == 0:
    # Jupyter Server refuses to run as root without this; the hub itself may run as root.
    c.Spawner.args.append("--allow-root")
# The first page a student sees: pull the course (nbgitpuller), then open Lesson 0 in JupyterLab.
# The repository and branch come from src/balancing_act/course.json.
c.Spawner.default_url = "/" + course.nbgitpuller_path()
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 60

# An API token for the instructor's scripts (e.g. creating the class's accounts).
_admin_token = os.environ.get("BALANCING_ACT_HUB_ADMIN_TOKEN", "").strip()
if _admin_token:
    c.JupyterHub.services = [{"name": "course-admin", "api_token": _admin_token}]
    c.JupyterHub.load_roles = [
        {
            "name": "course-admin",
            "scopes": ["admin:users", "admin:servers", "admin:server_state"],
            "services": ["course-admin"],
        }
    ]
