"""Hand-edited JSON: too deep nesting is a syntax error at the bracket that goes too deep, never a RecursionError."""

from __future__ import annotations

import json

import pytest

from balancing_act import json_input
from balancing_act.json_input import MAX_DEPTH, loads, too_deep


def test_nesting_up_to_the_limit_parses() -> None:
    text = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    value = loads(text)
    for _ in range(MAX_DEPTH - 1):
        [value] = value
    assert value == []


def test_nesting_past_the_limit_names_line_and_column() -> None:
    text = '{"a":\n  ' + "[" * 100_000 + "]" * 100_000 + "}"
    with pytest.raises(json.JSONDecodeError) as info:
        loads(text)
    # The object is level 1; the (MAX_DEPTH - 1)-th bracket after it, on line 2 from column 3, is one too many.
    assert (info.value.lineno, info.value.colno) == (2, 3 + MAX_DEPTH - 1)
    assert f"nested more than {MAX_DEPTH} levels" in info.value.msg


def test_brackets_inside_strings_do_not_count() -> None:
    text = json.dumps({"text": "[" * 1000 + '\\"{' * 100, "more": ["]" * 50]})
    assert loads(text)["more"] == ["]" * 50]


def test_hooks_are_passed_on() -> None:
    def constant(name: str) -> float:
        raise ValueError(f"{name} refused")

    with pytest.raises(ValueError, match="NaN refused"):
        loads('{"a": NaN}', parse_constant=constant)
    assert loads('{"a": 1}', object_pairs_hook=lambda pairs: pairs) == [("a", 1)]


def test_a_limit_beyond_the_stack_still_gives_a_syntax_error() -> None:
    text = "[" * 100_000 + "]" * 100_000
    with pytest.raises(json.JSONDecodeError, match="nested more than"):
        loads(text, max_depth=10**6)


def test_too_deep_finds_the_path_without_recursion() -> None:
    deep: list[object] = []
    for _ in range(100_000):
        deep = [deep]
    assert too_deep({"a": 1, "b": [{"c": "x"}]}) is None
    path = too_deep({"ok": [1, 2], "bad": deep})
    assert path is not None and path[0] == "bad" and len(path) == MAX_DEPTH
    assert json_input.too_deep(deep, max_depth=3) == (0, 0, 0)
