"""What an Altair chart shows: its data after its filters, with the field on each channel.

Checks compare this against the data a question expects, so a chart of the
right shape drawn from the wrong rows (another year, another column) is told
apart from the right one.  The reader works on the Vega-Lite spec
(``chart.to_dict()``): inline data (``alt.Chart(frame)``), ``transform_filter``
with a field predicate (``alt.FieldEqualPredicate``, ``FieldOneOfPredicate``,
``FieldRangePredicate``, ``lt``/``lte``/``gt``/``gte``, ``and``/``or``/``not``)
or a simple expression (``alt.datum.year == 2023``,
``"datum.partner != 'World'"``).  Any other transform raises
:class:`UnreadableChart` with the step to take instead (do it in pandas).
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

import pandas as pd

__all__ = [
    "UnreadableChart",
    "chart_frame",
    "encoded_rows",
    "normalise",
]

_VIEW_KEYS: Final = ("layer", "hconcat", "vconcat", "concat")
_AGGREGATES: Final[dict[str, str]] = {
    "sum": "sum",
    "mean": "mean",
    "average": "mean",
    "median": "median",
    "min": "min",
    "max": "max",
    "distinct": "nunique",
}


class UnreadableChart(ValueError):
    """The chart's data cannot be read; the message says what to do instead."""


def _first_view(spec: Mapping[str, Any]) -> tuple[Mapping[str, Any], list[Mapping[str, Any]]]:
    """The first unit view (with a mark) and the specs above it, outermost first."""
    stack: list[tuple[Mapping[str, Any], list[Mapping[str, Any]]]] = [(spec, [])]
    while stack:
        part, parents = stack.pop(0)
        if "mark" in part:
            return part, parents
        inner = part.get("spec")
        if isinstance(inner, Mapping):
            stack.append((inner, [*parents, part]))
        for key in _VIEW_KEYS:
            children = part.get(key)
            if isinstance(children, list):
                stack.extend((child, [*parents, part]) for child in children if isinstance(child, Mapping))
    raise UnreadableChart("The chart has no mark yet: add one, e.g. .mark_bar().")


def chart_frame(spec: Mapping[str, Any]) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The rows the chart's first view draws (after its filters) and that view's encoding."""
    view, parents = _first_view(spec)
    chain = [*parents, view]
    data: Any = None
    transforms: list[Any] = []
    encoding: dict[str, Any] = {}
    for part in chain:
        if isinstance(part.get("data"), Mapping):
            data = part["data"]
            transforms = []  # a view's own data starts from scratch
        transforms.extend(part.get("transform", []) or [])
        if isinstance(part.get("encoding"), Mapping):
            encoding.update(part["encoding"])
    if data is None:
        raise UnreadableChart("The chart has no data: pass a table, e.g. alt.Chart(frame).")
    if "values" in data:
        records = data["values"]
    elif "name" in data:
        records = (spec.get("datasets") or {}).get(data["name"])
    else:
        raise UnreadableChart("The chart reads its data from a file or address; pass a pandas table instead: alt.Chart(frame).")
    if not isinstance(records, list):
        raise UnreadableChart("The chart's data could not be read; pass a pandas table: alt.Chart(frame).")
    frame = pd.DataFrame.from_records([row for row in records if isinstance(row, Mapping)])
    for step in transforms:
        if not isinstance(step, Mapping) or set(step) != {"filter"}:
            name = next(iter(step), "?") if isinstance(step, Mapping) else "?"
            raise UnreadableChart(
                f"Your chart uses a {name} transform; do that step in pandas before alt.Chart(...), "
                "so the check can read the data the chart shows."
            )
        keep = [bool(_holds(step["filter"], row)) for row in frame.to_dict("records")]
        frame = frame.loc[keep].reset_index(drop=True)
    return frame, encoding


# ------------------------------------------------------------------ filters
def _holds(predicate: Any, row: Mapping[str, Any]) -> Any:
    if isinstance(predicate, str):
        return _expression(predicate)(row)
    if isinstance(predicate, Mapping):
        if "and" in predicate:
            return all(_holds(p, row) for p in predicate["and"])
        if "or" in predicate:
            return any(_holds(p, row) for p in predicate["or"])
        if "not" in predicate:
            return not _holds(predicate["not"], row)
        field = predicate.get("field")
        if isinstance(field, str):
            value = row.get(field)
            for key, test in _FIELD_TESTS.items():
                if key in predicate:
                    try:
                        return test(value, predicate[key])
                    except TypeError:
                        return False
    raise UnreadableChart(
        "Your chart's filter could not be read; filter the rows in pandas before alt.Chart(...) instead."
    )


def _in_range(value: Any, bounds: Sequence[Any]) -> bool:
    low, high = bounds
    return (low is None or value >= low) and (high is None or value <= high)


_FIELD_TESTS: Final[dict[str, Callable[[Any, Any], bool]]] = {
    "equal": lambda value, want: value == want,
    "oneOf": lambda value, want: value in want,
    "range": _in_range,
    "lt": lambda value, want: value is not None and value < want,
    "lte": lambda value, want: value is not None and value <= want,
    "gt": lambda value, want: value is not None and value > want,
    "gte": lambda value, want: value is not None and value >= want,
    "valid": lambda value, want: (value is not None and not (isinstance(value, float) and math.isnan(value))) == want,
}

_JS: Final = [
    (re.compile(r"==="), "=="),
    (re.compile(r"!=="), "!="),
    (re.compile(r"&&"), " and "),
    (re.compile(r"\|\|"), " or "),
    (re.compile(r"!(?!=)"), " not "),
    (re.compile(r"\bdatum\.([A-Za-z_][A-Za-z0-9_]*)"), r"datum['\1']"),
    (re.compile(r"\btrue\b"), "True"),
    (re.compile(r"\bfalse\b"), "False"),
    (re.compile(r"\bnull\b"), "None"),
]
_MAX_EXPRESSION: Final = 500


def _expression(text: str) -> Callable[[Mapping[str, Any]], Any]:
    """A filter expression (Vega's JavaScript subset: comparisons, and/or/not) as a function of a row."""
    if len(text) > _MAX_EXPRESSION:
        raise UnreadableChart("Your chart's filter is too long to read; filter the rows in pandas instead.")
    python = text
    for pattern, replacement in _JS:
        python = pattern.sub(replacement, python)
    try:
        tree = ast.parse(python.strip(), mode="eval")
    except SyntaxError as exc:
        raise UnreadableChart(
            "Your chart's filter could not be read; filter the rows in pandas before alt.Chart(...) instead."
        ) from exc
    return lambda row: _evaluate(tree.body, row)


def _evaluate(node: ast.AST, row: Mapping[str, Any]) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.BoolOp):
        values = (_evaluate(v, row) for v in node.values)
        return all(values) if isinstance(node.op, ast.And) else any(values)
    if isinstance(node, ast.UnaryOp):
        operand = _evaluate(node.operand, row)
        if isinstance(node.op, ast.Not):
            return not operand
        if isinstance(node.op, ast.USub):
            return -operand
    if isinstance(node, ast.Compare):
        left = _evaluate(node.left, row)
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = _evaluate(right_node, row)
            try:
                ok = _COMPARE[type(op)](left, right)
            except (KeyError, TypeError):
                return False
            if not ok:
                return False
            left = right
        return True
    if (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Name)
        and node.value.id == "datum"
        and isinstance(node.slice, ast.Constant)
    ):
        return row.get(node.slice.value)
    raise UnreadableChart(
        "Your chart's filter uses more than comparisons; filter the rows in pandas before alt.Chart(...) instead."
    )


_COMPARE: Final[dict[type, Callable[[Any, Any], bool]]] = {
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
}


# ------------------------------------------------------------------ values
def normalise(value: Any) -> Any:
    """A value as the chart's JSON holds it: numbers to 6 significant figures, times as ISO text."""
    if value is None:
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, bool):
        return value
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, (int, float)) or hasattr(value, "__float__") and not isinstance(value, str):
        try:
            number = float(value)
        except (TypeError, ValueError):
            return str(value)
        return float(f"{number:.6g}")
    return str(value)


def encoded_rows(
    frame: pd.DataFrame,
    channels: Mapping[str, tuple[str | None, str | None]],
) -> list[tuple[Any, ...]]:
    """The sorted rows ``frame`` gives on ``channels`` ({channel: (field, aggregate)})."""
    names = list(channels)
    plain = [channels[c][0] for c in names if not channels[c][1]]
    if any(field not in frame.columns for field in plain if field):
        missing = next(field for field in plain if field and field not in frame.columns)
        raise KeyError(missing)
    if not any(aggregate for _, aggregate in channels.values()):
        table = frame[[channels[c][0] for c in names]]
        rows = [tuple(normalise(v) for v in row) for row in table.itertuples(index=False)]
    else:
        groups = [field for field in plain if field]
        grouped = frame.groupby(groups, dropna=False, sort=False) if groups else None
        columns: dict[str, pd.Series] = {}
        for channel in names:
            field, aggregate = channels[channel]
            if not aggregate:
                continue
            if aggregate == "count":
                series = grouped.size() if grouped is not None else pd.Series([len(frame)])
            elif aggregate in _AGGREGATES and field in frame.columns:
                series = (
                    grouped[field].agg(_AGGREGATES[aggregate])
                    if grouped is not None
                    else pd.Series([frame[field].agg(_AGGREGATES[aggregate])])
                )
            else:
                raise UnreadableChart(
                    f"The check cannot read the {aggregate} on {channel}; compute it in pandas first."
                )
            columns[channel] = series
        rows = []
        first = next(iter(columns.values()))
        for key in first.index:
            keys = key if isinstance(key, tuple) else (key,)
            by_field = dict(zip(groups, keys, strict=False))
            row = []
            for channel in names:
                field, aggregate = channels[channel]
                row.append(normalise(columns[channel][key] if aggregate else by_field.get(field)))
            rows.append(tuple(row))
    return sorted(rows, key=lambda r: tuple((v is None, str(type(v)), v if v is not None else 0) for v in r))
