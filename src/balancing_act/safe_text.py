"""Small helpers for turning untrusted values into safe, short text.

Quiz banks, exercise checks and the progress file all show or store text that
comes from somewhere the course does not control: a learner's answer, or a
question written by an author.  The helpers here never raise and never let
markup through:

* :func:`escape` makes any string safe to place inside HTML.
* :func:`render_inline` escapes a string and then turns ``**bold**`` spans into
  ``<strong>`` elements, the only markup a quiz prompt may carry.
* :func:`plain` removes the ``**`` markers, for places that show plain text.
* :func:`safe_repr` gives a short description of any object, even one whose
  ``__repr__`` raises or would be enormous.
* :func:`type_name` names the type of any object without running its code.
"""

from __future__ import annotations

import html
import re
from typing import Any

__all__ = [
    "DEFAULT_LIMIT",
    "escape",
    "plain",
    "render_inline",
    "safe_repr",
    "truncate",
    "type_name",
]

#: Default number of characters kept by :func:`safe_repr` and :func:`truncate`.
DEFAULT_LIMIT = 200

_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*", re.DOTALL)
_ELLIPSIS = "…"
# Containers larger than this are summarised rather than printed, so that a
# ten-million-item list costs nothing to describe.
_MAX_ITEMS_FOR_REPR = 1000


def escape(text: object) -> str:
    """Return ``text`` as a string with every HTML special character escaped.

    Quotes are escaped too, so the result is also safe inside an attribute.
    Non-string values are described with :func:`safe_repr` first.
    """
    if not isinstance(text, str):
        text = safe_repr(text)
    return html.escape(text, quote=True)


def render_inline(text: str) -> str:
    """Escape ``text`` for HTML, then render ``**bold**`` spans as ``<strong>``.

    Escaping happens first, so whatever the text contains (``<script>``, event
    attributes, entities) ends up as visible characters; the only tags in the
    result are the ``<strong>`` pairs added here.
    """
    return _BOLD.sub(r"<strong>\1</strong>", escape(text))


def plain(text: str) -> str:
    """Return ``text`` with ``**bold**`` markers removed (no escaping)."""
    return _BOLD.sub(r"\1", text)


def truncate(text: str, limit: int = DEFAULT_LIMIT) -> str:
    """Shorten ``text`` to at most ``limit`` characters, ending with an ellipsis."""
    if limit < 1:
        return ""
    if len(text) <= limit:
        return text
    return text[: limit - 1] + _ELLIPSIS


def type_name(value: object) -> str:
    """Return the qualified name of ``type(value)``, e.g. ``pandas.DataFrame``.

    Uses ``type()``, which cannot be overridden by the object, so this never
    runs learner code.
    """
    cls = type(value)
    module = getattr(cls, "__module__", "") or ""
    name = getattr(cls, "__name__", None) or "object"
    if module in ("builtins", "__main__", ""):
        return str(name)
    top = module.split(".")[0]
    if top in ("pandas", "numpy", "altair"):
        # ``pandas.core.frame.DataFrame`` reads better as ``pandas.DataFrame``.
        return f"{top}.{name}"
    return f"{module}.{name}"


def safe_repr(value: Any, limit: int = DEFAULT_LIMIT) -> str:
    """Describe ``value`` in at most ``limit`` characters; never raises.

    Strings are shown with quotes, large containers and frames are summarised
    by size instead of being printed, and an object whose ``__repr__`` raises
    is shown as ``<unprintable TYPE>``.
    """
    try:
        text = _describe(value, limit)
    except Exception:  # any failure becomes a placeholder text
        text = f"<unprintable {type_name(value)}>"
    return truncate(text, limit)


def _describe(value: Any, limit: int) -> str:
    """Build the description used by :func:`safe_repr` (may raise)."""
    cls = type(value)
    if value is None or cls in (bool, int, float, complex):
        try:
            return repr(value)
        except ValueError:  # int with too many digits for str()
            return f"<int with about {value.bit_length() * 3 // 10} digits>"
    if isinstance(value, str):
        return repr(str.__str__(value)[: limit + 1])
    if isinstance(value, (bytes, bytearray)):
        return repr(bytes(value[: limit + 1]))
    if isinstance(value, (list, tuple, set, frozenset, dict)):
        size = len(value)
        if size > _MAX_ITEMS_FOR_REPR:
            return f"<{type_name(value)} of {size} items>"
    shape = _frame_shape(value)
    if shape is not None:
        rows, cols = shape
        return f"<{type_name(value)} with {_count(rows, 'row')} and {_count(cols, 'column')}>"
    return repr(value)


def _count(number: int, noun: str) -> str:
    """``"1 row"``, ``"2 rows"``."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _frame_shape(value: Any) -> tuple[int, int] | None:
    """Return ``(rows, columns)`` for a pandas DataFrame, else ``None``."""
    cls = type(value)
    if not any(
        getattr(base, "__module__", "").startswith("pandas.") and base.__name__ == "DataFrame"
        for base in cls.__mro__
    ):
        return None
    rows, cols = value.shape
    return int(rows), int(cols)
