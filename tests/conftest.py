"""Shared fixtures: every test reads the course's own data folder unless it asks for ``toy_data``,
a small, valid data package written to a temporary folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from balancing_act import data as data_module

COURSE_DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(autouse=True)
def _course_data(monkeypatch: pytest.MonkeyPatch) -> None:
    """Point the loader at the repository's data/, whatever the current folder."""
    monkeypatch.setenv(data_module.DATA_ENV_VAR, str(COURSE_DATA))


TOY_SOURCE = {
    "organisation": "Example Statistics Office",
    "title": "Example table",
    "path": "https://example.org/table",
    "date": "2024-01-01",
    "grade": "primary",
}


def toy_descriptor() -> dict:
    return {
        "name": "toy",
        "resources": [
            {
                "name": "toy_trade",
                "path": "toy_trade.csv",
                "title": "Toy trade",
                "sources": [TOY_SOURCE],
                "licenses": [{"name": "CC-BY-4.0"}],
                "schema": {
                    "fields": [
                        {"name": "year", "type": "integer", "constraints": {"required": True, "minimum": 2000, "maximum": 2030}},
                        {"name": "partner", "type": "string", "constraints": {"required": True, "enum": ["A", "B", "World"]}},
                        {"name": "total_usd_bn", "type": "number", "unit": "billion US$", "constraints": {"minimum": 0}},
                    ],
                    "primaryKey": ["year", "partner"],
                },
            }
        ],
    }


TOY_CSV = "year,partner,total_usd_bn\n2023,A,10.5\n2023,B,\n2023,World,100\n2024,A,12\n2024,World,110.25\n"


@pytest.fixture
def toy_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder with one dataset, selected through the environment variable."""
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "datapackage.json").write_text(json.dumps(toy_descriptor()), encoding="utf-8")
    (folder / "toy_trade.csv").write_text(TOY_CSV, encoding="utf-8")
    monkeypatch.setenv(data_module.DATA_ENV_VAR, str(folder))
    return folder
