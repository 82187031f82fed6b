"""The course catalogue, launch links, the progress map, the glossary and further reading."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import nbformat
import pytest

from balancing_act import course
from balancing_act.json_input import MAX_DEPTH
from balancing_act.progress import ProgressStore

ROOT = Path(__file__).resolve().parents[1]


def _markdown(notebook: Path) -> str:
    return "\n".join(c.source for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "markdown")


def test_catalogue_matches_the_lessons_folder() -> None:
    numbers = [lesson.number for lesson in course.lessons()]
    assert numbers == list(range(len(numbers)))
    available = {lesson.notebook for lesson in course.lessons(available_only=True)}
    assert available == {p.name for p in (ROOT / "lessons").glob("*.ipynb")}


def test_readme_course_map_follows_the_catalogue() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for lesson in course.lessons():
        row = next((line for line in readme.splitlines() if line.startswith(f"| {lesson.number} |")), None)
        assert row is not None, f"README has no course-map row for lesson {lesson.number}"
        assert lesson.title in row
        if lesson.available:
            assert f"lessons/{lesson.notebook}" in row and f"{lesson.minutes} min" in row
            assert course.binder_url(lesson.notebook) in row
        else:
            assert "in preparation" in row


def test_launch_links() -> None:
    url = course.binder_url("01_chinas_position.ipynb")
    assert re.fullmatch(r"https://mybinder\.org/v2/gh/[\w.-]+/[\w.-]+/HEAD\?urlpath=lab%2Ftree%2Flessons%2F01_chinas_position\.ipynb", url)
    assert course.binder_url() == course.binder_url("00_start_here.ipynb")
    assert course.binder_badge().startswith("[![Launch on Binder](https://mybinder.org/badge_logo.svg)](")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert course.binder_badge() in readme


@pytest.mark.parametrize("lesson", course.lessons(available_only=True), ids=lambda lesson: lesson.notebook)
def test_every_lesson_header_has_its_launch_link(lesson: course.Lesson) -> None:
    first_cell = nbformat.read(ROOT / "lessons" / lesson.notebook, as_version=4).cells[0].source
    assert course.binder_url(lesson.notebook) in first_cell
    assert f"about {lesson.minutes} minutes" in first_cell


def test_course_map_states_and_resume(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path / "progress.json")
    frame = course.course_map(store)
    assert list(frame["state"][:2]) == ["not started", "not started"]
    assert set(frame.loc[frame["lesson"] >= 2, "state"]) <= {"in preparation", "not started"}
    assert course.where_to_resume(frame).startswith("Start Lesson 0")

    items0 = int(frame.loc[0, "items"])
    assert items0 >= 2
    for i in range(items0):
        store.record(0, f"quiz:lesson00:item{i}", "quiz", "correct")
    store.record(1, "check:q1", "check", "incorrect")
    store.record(1, "check:q2", "check", "correct")
    frame = course.course_map(store)
    assert frame.loc[0, "state"] == "done" and frame.loc[0, "progress"] == 100.0
    assert frame.loc[1, "state"] == "in progress" and frame.loc[1, "correct"] == 1
    assert course.where_to_resume(frame).startswith("Continue with Lesson 1")
    spec = course.course_map_chart(frame).to_dict()
    assert spec["title"]["subtitle"] == [frame.attrs["source"]]
    assert "Lesson 0 done, 100%" in spec["description"]


def test_items_count_quiz_and_exercise_questions() -> None:
    lesson1 = course.lessons()[1]
    from balancing_act.exercises.lesson01 import ex
    from balancing_act.quiz import load_bank

    assert course._items(lesson1) == len(load_bank("lesson01").questions) + len(ex.names)


def _anchors(markdown: str) -> set[str]:
    slugs = set()
    for heading in re.findall(r"^#+ (.+)$", markdown, flags=re.MULTILINE):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        slugs.add(slug)
    return slugs


def test_glossary_links_from_lessons_resolve() -> None:
    glossary = _anchors((ROOT / "docs" / "glossary.md").read_text(encoding="utf-8"))
    reading = _anchors((ROOT / "docs" / "further-reading.md").read_text(encoding="utf-8"))
    links = 0
    for notebook in (ROOT / "lessons").glob("*.ipynb"):
        for target, anchor in re.findall(r"\.\./docs/(glossary|further-reading)\.md#([\w-]+)", _markdown(notebook)):
            links += 1
            assert anchor in (glossary if target == "glossary" else reading), f"{notebook.name}: #{anchor} not in {target}.md"
    assert links >= 3


def test_further_reading_covers_every_available_lesson() -> None:
    text = (ROOT / "docs" / "further-reading.md").read_text(encoding="utf-8")
    for lesson in course.lessons(available_only=True):
        assert f"## Lesson {lesson.number} · {lesson.title}" in text


def test_deeply_nested_catalogue_is_a_course_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "course.json").write_text('{"lessons": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    monkeypatch.setattr(course.resources, "files", lambda package: tmp_path)
    course._catalogue.cache_clear()
    try:
        column = 13 + MAX_DEPTH - 1  # the outer object is level 1; the brackets start at column 13
        with pytest.raises(course.CourseError, match=rf"^course\.json: not valid JSON \(.*nested more than {MAX_DEPTH} levels.*line 1 column {column} "):
            course.lessons()
    finally:
        course._catalogue.cache_clear()


# ------------------------------------------------------------------ nbgitpuller links for a class hub

def _query(url: str) -> dict[str, str]:
    parts = urlsplit(url)
    pairs = parse_qs(parts.query, strict_parsing=True)
    assert all(len(values) == 1 for values in pairs.values()), pairs
    return {key: values[0] for key, values in pairs.items()}


def test_nbgitpuller_link_carries_repo_branch_folder_and_lesson() -> None:
    catalogue = json.loads((ROOT / "src" / "balancing_act" / "course.json").read_text(encoding="utf-8"))
    url = course.nbgitpuller_url("https://hub.example.edu", "01_chinas_position.ipynb")
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "hub.example.edu", "/hub/user-redirect/git-pull")
    folder = catalogue["repository"].split("/")[-1]
    assert _query(url) == {
        "repo": f"https://github.com/{catalogue['repository']}",
        "branch": catalogue["hub"]["branch"],
        "targetpath": folder,
        "urlpath": f"lab/tree/{folder}/lessons/01_chinas_position.ipynb",
    }
    # No argument: the placeholder hub of course.json and Lesson 0.
    assert course.nbgitpuller_url().startswith(catalogue["hub"]["url"] + "/hub/user-redirect/git-pull?")
    assert _query(course.nbgitpuller_url())["urlpath"].endswith("/lessons/00_start_here.ipynb")


def test_nbgitpuller_link_encodes_awkward_addresses_and_keeps_a_hub_prefix() -> None:
    repo = "file:///srv/class materials/a&b=c/course.git"
    url = course.nbgitpuller_url("https://uni.example.edu/jupyter/", "03_north_korea.ipynb", repo=repo, branch="week 3")
    assert url.startswith("https://uni.example.edu/jupyter/hub/user-redirect/git-pull?")
    assert " " not in url and url.count("&") == 3  # only the three separators between four parameters
    query = _query(url)
    assert query["repo"] == repo and query["branch"] == "week 3"
    assert query["targetpath"] == "course"  # ".git" is not part of the folder name
    assert query["urlpath"] == "lab/tree/course/lessons/03_north_korea.ipynb"
    custom = _query(course.nbgitpuller_url("http://127.0.0.1:8000", targetpath="balancing act"))
    assert custom["targetpath"] == "balancing act" and custom["urlpath"].startswith("lab/tree/balancing act/lessons/")
    server_side = course.nbgitpuller_path("02_russias_need.ipynb")
    assert server_side.startswith("git-pull?") and course.nbgitpuller_url("https://h.example", "02_russias_need.ipynb").endswith(server_side)


@pytest.mark.parametrize(
    ("hub", "notebook", "message"),
    [
        ("hub.example.edu", None, "'hub.example.edu'"),
        ("https://hub.example.edu/?next=x", None, "no query"),
        ("ftp://hub.example.edu", None, "https://hub.example.edu"),
        ("https://hub.example.edu", "99_missing.ipynb", "00_start_here.ipynb"),
    ],
)
def test_nbgitpuller_link_rejects_bad_input_with_the_fix(hub: str, notebook: str | None, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        course.nbgitpuller_url(hub, notebook)


def test_nbgitpuller_link_rejects_a_repository_without_a_name() -> None:
    with pytest.raises(ValueError, match="targetpath"):
        course.nbgitpuller_url("https://hub.example.edu", repo="file:///")


def test_the_repository_address_lives_in_one_place(monkeypatch: pytest.MonkeyPatch) -> None:
    moved = dict(course._catalogue(), repository="another-org/balancing-act")
    monkeypatch.setattr(course, "_catalogue", lambda: moved)
    assert course.repository_url() == "https://github.com/another-org/balancing-act"
    assert "/gh/another-org/balancing-act/HEAD?" in course.binder_url()
    query = _query(course.nbgitpuller_url("https://hub.example.edu"))
    assert query["repo"] == "https://github.com/another-org/balancing-act"
    assert query["urlpath"] == "lab/tree/balancing-act/lessons/00_start_here.ipynb"


def test_course_map_shows_hub_links_only_when_asked(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path / "progress.json")
    assert "hub_link" not in course.course_map(store).columns
    frame = course.course_map(store, hub_url="https://hub.example.edu")
    for row in frame.itertuples():
        lesson = course.lessons()[row.lesson]
        expected = course.nbgitpuller_url("https://hub.example.edu", lesson.notebook) if lesson.available else ""
        assert row.hub_link == expected
    assert frame["hub_link"].str.contains("00_start_here.ipynb").any()


def test_links_command_prints_one_link_per_lesson(capsys: pytest.CaptureFixture[str]) -> None:
    assert course.main(["links", "--hub", "https://hub.example.edu"]) == 0
    out = capsys.readouterr().out
    for lesson in course.lessons(available_only=True):
        assert f"Lesson {lesson.number}: {lesson.title}" in out
        assert course.nbgitpuller_url("https://hub.example.edu", lesson.notebook) in out
    assert course.main(["links", "--hub", "https://hub.example.edu", "--markdown", "--branch", "spring"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].startswith("| # | Lesson |") and len(table) == 2 + len(course.lessons(available_only=True))
    assert all("branch=spring" in line for line in table[2:])
    assert course.main(["links", "--hub", "hub.example.edu"]) == 2
    assert "got 'hub.example.edu'" in capsys.readouterr().err


def test_instructor_guide_lists_the_hub_link_of_every_lesson() -> None:
    guide = (ROOT / "docs" / "instructor-guide.md").read_text(encoding="utf-8")
    for lesson in course.lessons(available_only=True):
        assert course.nbgitpuller_url(None, lesson.notebook) in guide, "run: python -m balancing_act.course links --markdown"


def test_hub_deployments_open_the_catalogue_link() -> None:
    import yaml  # PyYAML comes with jupyter_events, a JupyterLab dependency
    values = yaml.safe_load((ROOT / "deploy" / "jupyterhub" / "z2jh-values.yaml").read_text(encoding="utf-8"))
    assert values["singleuser"]["defaultUrl"] == "/" + course.nbgitpuller_path(), "copy the printed defaultUrl into z2jh-values.yaml"
    guide = (ROOT / "deploy" / "jupyterhub" / "README.md").read_text(encoding="utf-8")
    assert course.repository_url() in guide and "/" + course.nbgitpuller_path() in guide
