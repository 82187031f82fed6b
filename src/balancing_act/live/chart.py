"""A chart that changes in place (see :mod:`balancing_act.live`)."""


from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

import anywidget
import traitlets

__all__ = ["BUNDLE", "LiveChart", "LivePanels", "prepare"]

#: The bundled front end (Vega, Vega-Lite, Vega-Embed and live_chart.js), built by ``balancing_act.live.build``.
BUNDLE: Final = Path(__file__).with_name("live_chart.bundle.js")
_TITLE: Final = "ba_title"
_ROWS: Final = "rows_"
#: Top-level params whose name starts with this are values the page can change in place
#: (a year range on a scale's domain, say): :func:`prepare` lifts their values into the signals.
LIVE_PARAM: Final = "ba_"
VEGA_LITE_MIME: Final = "application/vnd.vegalite.v5+json"


def _split(node: Any, names: dict[str, str], rows: dict[str, Any]) -> Any:
    """``node`` rebuilt without its rows: dataset references renamed, inline ``values`` moved into ``rows``.

    The rows themselves are neither copied nor walked (they can be thousands of records).
    """
    if isinstance(node, list):
        return [_split(item, names, rows) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "data" and isinstance(value, dict) and set(value) <= {"values", "format", "name"}:
            if isinstance(value.get("values"), list):
                name = f"{_ROWS}{len(rows)}"
                rows[name] = value["values"]
                out[key] = {"name": name, **({"format": value["format"]} if "format" in value else {})}
                continue
            if isinstance(value.get("name"), str) and value["name"] in names:
                out[key] = {**value, "name": names[value["name"]]}
                continue
        out[key] = _split(value, names, rows)
    return out


def _is_live_param(param: Any) -> bool:
    """A top-level param the page may change in place: named ``ba_...``, a plain value (no binding, no selection)."""
    return isinstance(param, dict) and str(param.get("name", "")).startswith(LIVE_PARAM) and set(param) == {"name", "value"}


def prepare(spec: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any], str]:
    """Split a Vega-Lite spec into (layout, datasets, signals, description).

    The datasets (top-level ``datasets`` and any inline ``{"values": [...]}``) are named ``rows_0``,
    ``rows_1``... in order, so that two charts that differ only in their rows have the same
    layout; the top-level title's text becomes the signal ``ba_title`` (Vega-Lite takes an
    expression there, not in the subtitle, so a new subtitle means a new layout); the
    description is taken out (the page puts it on the chart's graphics document); the values of
    top-level params named ``ba_...`` (plain values: no binding, no selection) become signals of
    the same name, so a chart whose scale domain reads such a param keeps its layout when only
    the value changes. ``spec`` is left as it was.
    """
    top = {key: value for key, value in spec.items() if key != "datasets"}
    datasets = spec.get("datasets") or {}
    names = {old: f"{_ROWS}{index}" for index, old in enumerate(datasets)}
    rows: dict[str, Any] = {names[old]: values for old, values in datasets.items()}
    layout = _split(top, names, rows)
    description = str(layout.pop("description", "") or "")
    signals: dict[str, Any] = {}
    params = layout.get("params")
    if isinstance(params, list):
        kept = []
        for param in params:
            if _is_live_param(param):
                signals[param["name"]] = param["value"]
            else:
                kept.append(param)
        if kept:
            layout["params"] = kept
        else:
            del layout["params"]
    title = layout.get("title")
    if isinstance(title, (str, list)):
        title = {"text": title}
    if isinstance(title, dict) and isinstance(title.get("text"), (str, list)):
        title = dict(title)
        signals[_TITLE] = title["text"]
        title["text"] = {"expr": _TITLE}
        layout["title"] = title
    return layout, rows, signals, description


def _wire(value: Any, _widget: Any = None) -> str:
    """``value`` as compact JSON text, the form a chart's spec and updates travel in.

    ipywidgets walks every list and dict of a widget's state for binary buffers before it sends
    it; a heat map's rows are thousands of values, so they travel as one string (the page parses
    it) and the walk sees one value. Numbers that JSON cannot hold (NaN, infinity) travel as null,
    which Vega draws as missing.
    """
    try:
        return json.dumps(value, separators=(",", ":"), allow_nan=False, default=str)
    except ValueError:
        return json.dumps(_finite(value), separators=(",", ":"), allow_nan=False, default=str)


def _finite(node: Any) -> Any:
    if isinstance(node, float):
        return node if math.isfinite(node) else None
    if isinstance(node, dict):
        return {key: _finite(value) for key, value in node.items()}
    if isinstance(node, (list, tuple)):
        return [_finite(item) for item in node]
    return node


def _embeddable(layout: dict[str, Any], rows: dict[str, Any], signals: dict[str, Any], description: str) -> dict[str, Any]:
    spec = dict(layout)
    spec["datasets"] = rows
    params = [p for p in spec.get("params", []) if p.get("name") not in signals]
    spec["params"] = params + [{"name": name, "value": value} for name, value in signals.items()]
    if not spec["params"]:
        del spec["params"]
    if description:
        spec["description"] = description
    return spec


class LiveChart(anywidget.AnyWidget):
    """One Vega-Lite chart on the page, changed in place by :meth:`show`.

    ``spec`` is what was last embedded, ``update`` the last in-place change sent (its rows and
    signals), ``description`` the chart's text alternative. ``embeds`` and ``updates`` count how
    often each path was taken, for tests and the benchmark.
    """

    _esm = BUNDLE
    spec = traitlets.Dict(help="The Vega-Lite spec embedded on the page (its rows and title included).").tag(sync=True, to_json=_wire)
    update = traitlets.Dict(help="The last in-place change: {'datasets': {name: rows}, 'signals': {name: value}}.").tag(sync=True, to_json=_wire)
    description = traitlets.Unicode("", help="The chart's text alternative, the label of its graphics document on the page.").tag(sync=True)

    def __init__(self, chart: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._layout_key: str | None = None
        self._rows: dict[str, Any] = {}
        self.embeds = 0
        self.updates = 0
        self.current: dict[str, Any] | None = None
        if chart is not None:
            self.show(chart)

    @property
    def outputs(self) -> tuple[dict[str, Any], ...]:
        """What the chart shows, as display data (as an ``Output`` widget holds it); empty when cleared."""
        if self.current is None:
            return ()
        text = str(self.current.get("description") or "Chart")
        return ({"output_type": "display_data", "data": {VEGA_LITE_MIME: self.current, "text/plain": text}, "metadata": {}},)

    def clear(self) -> None:
        """Show nothing (an explorer whose choice leaves no data says so in its text)."""
        self.current = None
        self._layout_key = None
        self._rows = {}
        self.description = ""
        self.spec = {}

    def show(self, chart: Any) -> None:
        """Draw ``chart`` (an Altair chart or a Vega-Lite dict): in place when only its rows, title or description changed."""
        spec = chart if isinstance(chart, dict) else chart.to_dict(validate=False)
        layout, rows, signals, description = prepare(spec)
        key = json.dumps(layout, sort_keys=True, default=str)
        self.current = spec
        if key == self._layout_key:
            # only the rows that changed travel: the page's view keeps the others (a heat map of
            # hundreds of cells is not sent again when only a marker on it moved)
            changed = {name: values for name, values in rows.items() if self._rows.get(name) != values}
            self._rows = rows
            self.updates += 1
            with self.hold_sync():  # one message to the page, not one per trait
                self.description = description
                self.update = {"datasets": changed, "signals": signals, "n": self.updates}
            return
        self._layout_key = key
        self._rows = rows
        self.embeds += 1
        with self.hold_sync():
            self.description = description
            self.spec = _embeddable(layout, rows, signals, description)


def _live_param_names(spec: dict[str, Any]) -> set[str]:
    return {str(param["name"]) for param in spec.get("params", []) if _is_live_param(param)}


class LivePanels(anywidget.AnyWidget):
    """Several Vega-Lite charts on the page in a grid, each embedded once, shown or hidden by :meth:`show`.

    A choice of panels is a change of which are visible, and of the values of the ``ba_...``
    params they share (a year range, say), which each running view takes in place: one
    message, nothing embedded again. ``embeds`` and ``updates`` count the two paths.
    """

    _esm = BUNDLE
    panels = traitlets.List(traitlets.Dict(), help="The panels' Vega-Lite specs, in grid order; each is embedded once.").tag(sync=True)
    shown = traitlets.List(traitlets.Int(), help="Indexes (into panels) of the panels shown, in grid order.").tag(sync=True)
    columns = traitlets.Int(1, min=1, help="Panels to a row.").tag(sync=True)
    signals = traitlets.Dict(help="Values of the panels' shared ba_... params, set on every panel that has them.").tag(sync=True)
    description = traitlets.Unicode("", help="The text alternative of the panels shown, the label of their group on the page.").tag(sync=True)

    def __init__(self, panels: Sequence[dict[str, Any]] = (), **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.embeds = 0
        self.updates = 0
        self._names: set[str] = set()
        if panels:
            self.set_panels(panels)

    @traitlets.validate("shown")
    def _valid_shown(self, proposal: dict[str, Any]) -> list[int]:
        value = list(proposal["value"])
        wrong = [index for index in value if not 0 <= index < len(self.panels)]
        if wrong or len(set(value)) != len(value) or value != sorted(value):
            raise traitlets.TraitError(
                f"shown = {value!r}: give each panel's index once, in order, from 0 to {len(self.panels) - 1}."
            )
        return value

    @traitlets.validate("signals")
    def _valid_signals(self, proposal: dict[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(proposal["value"]) - self._names)
        if unknown:
            raise traitlets.TraitError(f"signal {unknown[0]!r} is not a ba_... param of any panel; the panels have {sorted(self._names)}.")
        return dict(proposal["value"])

    def set_panels(self, panels: Sequence[dict[str, Any]]) -> None:
        """Embed ``panels`` (Vega-Lite dicts, each a whole chart), none of them shown yet."""
        specs = [dict(spec) for spec in panels]
        self._names = set().union(*(_live_param_names(spec) for spec in specs)) if specs else set()
        self.embeds += 1
        with self.hold_sync():
            self.shown = []
            self.signals = {}
            self.panels = specs

    def show(self, shown: Sequence[int], *, signals: dict[str, Any] | None = None, columns: int = 1, description: str = "") -> None:
        """Show the panels at ``shown`` (indexes, in order), ``columns`` to a row, with ``signals`` set on each."""
        self.updates += 1
        with self.hold_sync():  # one message to the page
            self.shown = list(shown)
            self.columns = columns
            if signals is not None:
                self.signals = dict(signals)
            self.description = description

    @property
    def current(self) -> list[dict[str, Any]]:
        """The specs of the panels shown, each with the shared signals' values in its params."""
        out = []
        for index in self.shown:
            spec = dict(self.panels[index])
            if "params" in spec:
                spec["params"] = [
                    {"name": p["name"], "value": self.signals[p["name"]]} if isinstance(p, dict) and p.get("name") in self.signals else p
                    for p in spec["params"]
                ]
            out.append(spec)
        return out

    @property
    def outputs(self) -> tuple[dict[str, Any], ...]:
        """What the page shows, one display data per panel shown (as an ``Output`` widget would hold them)."""
        return tuple(
            {"output_type": "display_data", "data": {VEGA_LITE_MIME: spec, "text/plain": str(spec.get("description") or "Chart")}, "metadata": {}}
            for spec in self.current
        )
