"""Reading JSON that people edit by hand: quiz banks, claims, the course catalogue, the data descriptor.

Python's :func:`json.loads` recurses once per level of nesting, so a file with a
bracket typed a hundred thousand times (``[[[[...``) raises ``RecursionError``
instead of a syntax error, and so does validating such data with ``jsonschema``.
No course file needs more than a handful of levels, so these helpers refuse
anything nested more than :data:`MAX_DEPTH` levels deep, before any recursive
code sees it:

* :func:`loads` parses text and reports too deep nesting as a
  :class:`json.JSONDecodeError` at the bracket that goes too deep, so callers
  turn it into their own error with the file, line and column, exactly as they
  do for any other syntax error.
* :func:`too_deep` finds the first place where already parsed data (or data
  built in Python) is nested too deeply.

Neither ever raises ``RecursionError``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, Final

__all__ = ["MAX_DEPTH", "loads", "nesting_message", "too_deep"]

#: Deepest nesting of lists and objects accepted, counting the outermost one as 1.
#: The deepest course file (``data/datapackage.json``) uses 8 levels.
MAX_DEPTH: Final = 32

# A JSON string (skipped as a whole, so brackets inside text do not count) or a bracket.
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)


def nesting_message(max_depth: int = MAX_DEPTH) -> str:
    """The words used for too deep nesting, for callers that name the place themselves."""
    return (
        f"lists and objects are nested more than {max_depth} levels deep; "
        "look for brackets typed by mistake"
    )


def _check_text_depth(text: str, max_depth: int) -> None:
    """Raise :class:`json.JSONDecodeError` at the first bracket deeper than ``max_depth``."""
    depth = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > max_depth:
                raise json.JSONDecodeError(nesting_message(max_depth), text, match.start())
        elif token in "]}":
            depth = max(depth - 1, 0)


def loads(
    text: str,
    *,
    max_depth: int = MAX_DEPTH,
    object_pairs_hook: Callable[[list[tuple[str, Any]]], Any] | None = None,
    parse_constant: Callable[[str], Any] | None = None,
) -> Any:
    """Parse ``text`` like :func:`json.loads`, refusing nesting deeper than ``max_depth``.

    Raises :class:`json.JSONDecodeError` for syntax errors and for too deep
    nesting (its ``lineno`` and ``colno`` point at the offending bracket), and
    whatever ``object_pairs_hook`` or ``parse_constant`` raise.
    """
    _check_text_depth(text, max_depth)
    try:
        return json.loads(text, object_pairs_hook=object_pairs_hook, parse_constant=parse_constant)
    except RecursionError:
        # Only reachable when max_depth exceeds what the interpreter's stack allows.
        raise json.JSONDecodeError(nesting_message(max_depth), text, 0) from None


def too_deep(value: object, max_depth: int = MAX_DEPTH) -> tuple[str | int, ...] | None:
    """The path (keys and indices) to the first list or object deeper than ``max_depth``.

    ``None`` when ``value`` is nested no deeper.  Walks without recursion, so
    any depth is safe; lists, tuples and dicts count as levels.
    """
    stack: list[tuple[object, tuple[str | int, ...], int]] = [(value, (), 1)]
    while stack:
        item, path, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.items()
        elif isinstance(item, (list, tuple)):
            children = enumerate(item)
        else:
            continue
        if depth > max_depth:
            return path
        for key, child in children:
            if isinstance(child, (dict, list, tuple)):
                stack.append((child, (*path, key), depth + 1))
    return None
