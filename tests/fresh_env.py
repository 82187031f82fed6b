"""Copies of the course as a learner or Binder would have them, each with its own environment.

Two slow tests need one: the Binder test (an environment from ``binder/requirements.txt`` and
``binder/postBuild`` alone runs every lesson) and the browser test of the README's open command,
which runs as a normal user, because JupyterLab refuses to run as root without ``--allow-root``
and the README command must not need it. When the tests run as root, that user is ``nobody``,
with the Python a normal user has on the PATH.

Building an environment is the slow part (about a hundred packages), so each copy is kept in a
cache folder in the system's temporary folder. The Binder copy is named by a hash of the files
that decide its packages (``binder/requirements.txt``, ``binder/runtime.txt``) and of the way it is
built (``BUILD_RECIPE``): a change to either starts a new one, and ``binder/postBuild`` (which installs the course package and its
JupyterLab settings) runs again on every run. The learner's copy keeps whatever the README's
command installed, as a returning learner's would; the command itself adds what changed. The
course files in both are refreshed from the working tree on every run, so the tests always see
the current lessons and packaging.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The files whose content decides the packages of the Binder environment.
ENV_INPUTS = ("binder/requirements.txt", "binder/runtime.txt")
# What a learner's clone has (tracked files); anything the build or tests leave is not copied.
SKIP_PARTS = {".git", ".venv", "build", "__pycache__", ".ipynb_checkpoints", ".hypothesis", ".pytest_cache"}
NORMAL_PATH = "/usr/local/bin:/usr/bin:/bin"


@dataclass(frozen=True)
class User:
    name: str
    uid: int
    gid: int

    @property
    def is_me(self) -> bool:
        return self.uid == os.geteuid()


def this_user() -> User:
    me = pwd.getpwuid(os.geteuid())
    return User(me.pw_name, me.pw_uid, me.pw_gid)


def normal_user() -> User:
    """This user, or ``nobody`` when this one is root."""
    if os.geteuid() != 0:
        return this_user()
    nobody = pwd.getpwnam("nobody")
    return User("nobody", nobody.pw_uid, nobody.pw_gid)


@dataclass(frozen=True)
class FreshCourse:
    """A course folder with ``.venv`` built from binder/, and the user who owns both."""

    folder: Path
    home: Path
    user: User

    @property
    def venv(self) -> Path:
        return self.folder / ".venv"

    @property
    def pip_cache(self) -> Path:
        """pip's cache: this user's own when the copy is theirs (the wheels the test command's install
        just fetched serve the Binder pins too: what is verified is the pins, not the download); a
        normal user's copy has a cache of its own in its home, as a new learner's machine would."""
        if self.user.is_me:
            default = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "pip"
            return Path(os.environ.get("PIP_CACHE_DIR") or default)
        return self.home / ".cache" / "pip"

    def env(self, **extra: str) -> dict[str, str]:
        """An environment such as the user's login shell would give, plus ``extra``."""
        keep = ("LANG", "LC_ALL", "TZ", "PIP_DEFAULT_TIMEOUT", "PIP_CERT", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL",
                "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy", "SSL_CERT_FILE")
        env = {key: os.environ[key] for key in keep if key in os.environ}
        path = NORMAL_PATH if not self.user.is_me else os.environ.get("PATH", NORMAL_PATH)
        env.update(
            HOME=str(self.home),
            USER=self.user.name,
            LOGNAME=self.user.name,
            PATH=path,
            PIP_DISABLE_PIP_VERSION_CHECK="1",
            PIP_CACHE_DIR=str(self.pip_cache),
            PYTHONDONTWRITEBYTECODE="1",
        )
        env.update(extra)
        return env

    def run(self, command: Sequence[str], *, env: Mapping[str, str] | None = None, timeout: float = 900,
            cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        """Run ``command`` as the user, in the course folder; output captured, never raises on failure."""
        return subprocess.run(
            list(command), cwd=cwd or self.folder, env=dict(env or self.env()), capture_output=True, text=True,
            check=False, timeout=timeout, **self.popen_user(),
        )

    def popen_user(self) -> dict[str, object]:
        if self.user.is_me:
            return {}
        return {"user": self.user.uid, "group": self.user.gid, "extra_groups": []}


# Bumped when _build() changes what it makes, so cached environments built the old way are replaced.
BUILD_RECIPE = b"2: pip compiles"


def env_key() -> str:
    digest = hashlib.sha256(BUILD_RECIPE + b"\0")
    for name in ENV_INPUTS:
        digest.update(name.encode() + b"\0" + (ROOT / name).read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _cache_root() -> Path:
    base = Path(tempfile.gettempdir()) / f"balancing-act-fresh-env-{os.geteuid()}"
    base.mkdir(mode=0o755, exist_ok=True)
    info = base.lstat()
    if info.st_uid != os.geteuid() or base.is_symlink() or info.st_mode & 0o022:
        raise RuntimeError(f"{base} exists but is not a folder only this user can write to; remove it and re-run")
    return base


def _chown_tree(top: Path, user: User) -> None:
    if user.is_me:
        return
    for folder, dirs, files in os.walk(top):
        os.chown(folder, user.uid, user.gid)
        for name in dirs + files:
            os.chown(os.path.join(folder, name), user.uid, user.gid, follow_symlinks=False)


def _course_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT, capture_output=True, check=False,
    )
    if listed.returncode == 0:
        names = [n for n in listed.stdout.decode().split("\0") if n]
    else:  # not a git checkout: everything but build output
        names = [str(p.relative_to(ROOT)) for p in ROOT.rglob("*") if p.is_file()]
    return [Path(n) for n in names if not SKIP_PARTS.intersection(Path(n).parts) and (ROOT / n).is_file()]


def _refresh_course(folder: Path) -> None:
    """Make ``folder`` hold exactly the course's files (keeping ``.venv``)."""
    wanted = set(_course_files())
    for path in sorted(folder.rglob("*"), reverse=True):
        rel = path.relative_to(folder)
        if rel.parts[0] == ".venv":
            continue
        if path.is_file() or path.is_symlink():
            if rel not in wanted:
                path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    for rel in wanted:
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, target)


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class BuildError(RuntimeError):
    pass


def _prepared(kind: str, user: User, key: str) -> tuple[FreshCourse, Path]:
    """The cached copy of this kind and key, refreshed; copies of this kind with another key removed."""
    base = _cache_root()
    key = f"{kind}-{key}"
    for old in base.glob(f"{kind}-*"):
        if old.name != key and old.is_dir() and old.lstat().st_uid == os.geteuid():
            shutil.rmtree(old, ignore_errors=True)
    top = base / key
    top.mkdir(mode=0o755, exist_ok=True)
    course = FreshCourse(top / "course", top / "home", user)
    course.folder.mkdir(exist_ok=True)
    course.home.mkdir(exist_ok=True)
    _refresh_course(course.folder)
    _chown_tree(top, user)
    return course, top


# Copies already prepared by this test process, by key: the course files and postBuild are refreshed
# once a run, not once a test.
_READY: dict[str, FreshCourse] = {}


def binder_course() -> FreshCourse:
    """A copy with ``.venv`` built from binder/ alone (as repo2docker's Python buildpack does), built if needed."""
    key = env_key()
    if key in _READY:
        return _READY[key]
    course, top = _prepared("binder", this_user(), key)
    with _locked(top / ".lock"):
        if not (top / "built").exists():
            _build(course)
            (top / "built").write_text("binder/ environment built\n", encoding="utf-8")
        else:
            _run_steps(course, [["bash", "binder/postBuild"]])
    _READY[key] = course
    return course


def learner_course() -> FreshCourse:
    """A copy owned by a normal user; its ``.venv`` is whatever the README's open command made there last time."""
    course, _top = _prepared("learner", normal_user(), "course")
    return course


def _build(course: FreshCourse) -> None:
    """What repo2docker's Python buildpack does: a fresh environment, requirements.txt, postBuild."""
    shutil.rmtree(course.venv, ignore_errors=True)
    steps = [
        [sys.executable, "-m", "venv", ".venv"],
        # pip compiles what it installs, as in repo2docker's build; without it every kernel start
        # would compile pandas, altair and ipykernel from source again (about 3 s more a lesson).
        [".venv/bin/python", "-m", "pip", "install", "-q", "-r", "binder/requirements.txt"],
        ["bash", "binder/postBuild"],
    ]
    _run_steps(course, steps)


def _run_steps(course: FreshCourse, steps: list[list[str]]) -> None:
    """Run each step in the course folder with the copy's environment first on the PATH; stop at a failure."""
    env = course.env(PATH=f"{course.venv / 'bin'}{os.pathsep}{course.env()['PATH']}", VIRTUAL_ENV=str(course.venv))
    for step in steps:
        done = course.run(step, env=env)
        if done.returncode != 0:
            raise BuildError(f"{' '.join(step)} failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
