"""Chart builders with one course style.

Every builder takes a DataFrame and returns an :class:`altair.Chart` (or a layered
chart) that carries:

- a title, and a subtitle whose last line cites the data source;
- axis titles with units;
- a ``description`` that screen readers announce (Vega-Lite puts it in the SVG's ARIA
  label);
- tooltips on every mark;
- the colour-blind-safe Okabe-Ito palette (Okabe & Ito, 2008), without its yellow and
  black, which are hard to read on JupyterLab's light and dark themes respectively.

No builder changes a global setting: the style is attached to each chart with
``configure_*`` calls, so nothing about Altair changes when this module is imported.
To draw charts offline in JupyterLab, a notebook enables Altair's ``mimetype``
renderer itself (see the first cell of every lesson).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
import textwrap
from functools import lru_cache
from typing import Any

import altair as alt
import pandas as pd

__all__ = [
    "PALETTE",
    "ChartInputError",
    "asymmetry_chart",
    "describe_spec",
    "described",
    "finish",
    "fit_title",
    "gap_segments",
    "series_ends",
    "series_lines",
    "mimebundle",
    "partner_bars",
    "plain_text",
    "require_frame",
    "source_of",
    "trade_over_time",
]

#: Okabe-Ito colours, in order (blue, orange, bluish green, reddish purple, sky blue, vermillion).
PALETTE: tuple[str, ...] = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")

_WIDTH = 520
_HEIGHT = 260


class ChartInputError(ValueError):
    """A chart builder was given a frame it cannot draw."""


def require_frame(frame: object, columns: Sequence[str], builder: str) -> pd.DataFrame:
    """Return ``frame`` if it is a non-empty DataFrame with ``columns``, else raise ChartInputError."""
    if not isinstance(frame, pd.DataFrame):
        raise ChartInputError(
            f"{builder}() needs a pandas DataFrame, got {type(frame).__name__}. "
            "Pass the frame returned by balancing_act.data.load()."
        )
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ChartInputError(
            f"{builder}() needs the columns {list(columns)}; missing {missing}. "
            f"The frame has {list(frame.columns)}."
        )
    if frame.empty:
        raise ChartInputError(f"{builder}() was given an empty frame; there is nothing to draw. Check your filter.")
    return frame


def source_of(frame: pd.DataFrame, source: str | None, builder: str) -> str:
    """The source line for a chart: ``source`` if given, else the frame's ``attrs["source"]``."""
    text = source or frame.attrs.get("source")
    if not text:
        raise ChartInputError(
            f"{builder}(): the frame carries no source and none was given. "
            "Load it with balancing_act.data.load(), or pass source='Source: ...'."
        )
    return str(text)


def finish(
    chart: alt.Chart,
    title: str,
    source: str,
    description: str,
    *,
    width: int | alt.Step = _WIDTH,
    height: int | alt.Step = _HEIGHT,
    in_place: bool = False,
) -> alt.Chart:
    """Attach title, source line, description, size and the course style to a chart.

    ``width`` and ``height`` are pixels, or ``alt.Step(n)``: n pixels per category of a
    discrete axis, so the chart grows with its rows (and an explorer that filters them
    keeps one layout, which the page can update in place). The result shows its description as its plain-text form (see :func:`described`).
    It is the chart ``.properties(...)`` and ``.configure_*(...)`` would give, made from one
    shallow copy: those methods deep-copy every layer at each call, which made an explorer's
    redraw of a layered chart take tens of milliseconds (tests compare the two).
    ``in_place=True`` styles ``chart`` itself, for a chart the caller has just built and
    shares with no one: a copy of a concatenated chart builds it again, deep-copying every panel.
    """
    styled = chart if in_place else chart.copy(deep=False)
    styled.title = alt.TitleParams(text=title, subtitle=[source], anchor="start")
    styled.description = description
    styled.width = width
    styled.height = height
    config = alt.Config() if chart.config is alt.Undefined else chart.config.copy(deep=False)
    config.range = alt.RangeConfig(category=list(PALETTE))
    config.title = alt.TitleConfig(fontSize=15, subtitleFontSize=11)
    config.axis = alt.AxisConfig(labelFontSize=11, titleFontSize=12)
    config.legend = alt.LegendConfig(labelFontSize=11, titleFontSize=12)
    styled.config = config
    return described(styled)


class _DescribedMixin:
    """A chart whose display data carries its description as ``text/plain``.

    Where a chart cannot be drawn (GitHub, nbviewer, a screen reader reading the
    notebook file) viewers show ``text/plain``; Altair puts a message about its
    renderer there. This puts the chart's description there instead.
    """

    def _repr_mimebundle_(self, *args: Any, **kwargs: Any) -> Any:
        result = super()._repr_mimebundle_(*args, **kwargs)  # type: ignore[misc]
        bundle = result[0] if isinstance(result, tuple) else result
        if isinstance(bundle, dict) and "text/plain" in bundle:
            spec = bundle.get(_VEGA_LITE)
            if isinstance(spec, dict):
                fit_title(spec)
                bundle["text/plain"] = _describe_in_place(spec)
            else:
                bundle["text/plain"] = plain_text(self)
        return result


_VEGA_LITE = "application/vnd.vegalite.v5+json"
#: Average glyph width of Vega's default sans-serif font, as a share of the font size.
GLYPH_WIDTH = 0.56


def fit_title(spec: dict[str, Any]) -> dict[str, Any]:
    """Break title and subtitle lines that are wider than the chart into several lines (in place).

    Vega draws each title line on one line whatever its length, so a long source line
    runs past the chart and is cut off where the output area ends.
    """
    width, title = spec.get("width"), spec.get("title")
    if not isinstance(width, (int, float)) or not isinstance(title, dict):
        return spec
    config = spec.get("config", {}).get("title", {})
    for key, size in (("text", config.get("fontSize", 13)), ("subtitle", config.get("subtitleFontSize", 10))):
        lines = title.get(key)
        if not lines:
            continue
        limit = max(20, int((width + 40) / (float(size) * GLYPH_WIDTH)))
        given = [lines] if isinstance(lines, str) else list(lines)
        wrapped = [part for line in given for part in (textwrap.wrap(str(line), limit) or [""])]
        if wrapped != given:
            title[key] = wrapped
    return spec


@lru_cache(maxsize=None)
def _described_class(cls: type) -> type:
    return type(cls.__name__, (_DescribedMixin, cls), {"__module__": cls.__module__, "__doc__": cls.__doc__})


def described(chart: Any) -> Any:
    """``chart`` itself, made to show its description as its plain-text output (and so do its copies).

    Anything that is not an Altair chart (an unanswered ``____``, say) is returned untouched.
    """
    if isinstance(chart, alt.TopLevelMixin) and not isinstance(chart, _DescribedMixin):
        object.__setattr__(chart, "__class__", _described_class(type(chart)))
    return chart


def plain_text(chart: Any) -> str:
    """The text alternative of a chart: its description, else one derived from it (see :func:`describe_spec`)."""
    description = chart.description if isinstance(chart.description, str) else ""
    return description or describe_spec(chart.to_dict())


def _describe_in_place(spec: dict[str, Any]) -> str:
    """The spec's description, derived and written into the spec when it has none (so the SVG's ARIA label has it)."""
    description = spec.get("description")
    if not isinstance(description, str) or not description.strip():
        description = spec["description"] = describe_spec(spec)
    return description


_MARKS = {
    "bar": "Bar chart",
    "line": "Line chart",
    "area": "Area chart",
    "point": "Scatter plot",
    "circle": "Scatter plot",
    "square": "Scatter plot",
    "tick": "Strip plot",
    "rect": "Heat map",
    "arc": "Pie chart",
    "rule": "Rule chart",
    "text": "Text chart",
}
#: Above this many categories a derived description names only the highest and the lowest.
LISTED_CATEGORIES = 6


def describe_spec(spec: Mapping[str, Any]) -> str:
    """A description derived from a Vega-Lite spec: its mark, what it shows against what, its title, its range.

    For a chart a learner built without a description, e.g. ``"Bar chart of total usd bn by
    partner: highest Russia (240.1), lowest North Korea (2.3)."``. The range is read from the
    chart's own inline data and left out where the chart transforms its data (a filter or a
    calculation would make it wrong) or aggregates in a way the sentence cannot state.
    """
    view, encoding = _first_view(spec)
    mark = view.get("mark")
    kind = mark.get("type") if isinstance(mark, Mapping) else mark
    name = _MARKS.get(str(kind), f"{str(kind).capitalize()} chart" if kind else "Chart")
    channels = {c: encoding[c] for c in ("x", "y", "theta", "color") if isinstance(encoding.get(c), Mapping)}
    measure_key, category_key = _roles(channels)
    parts = [name]
    if measure_key:
        parts.append(f" of {_label(channels[measure_key])}")
        if category_key and channels[measure_key].get("type") == "temporal":
            parts = [name, f" of {_label(channels[category_key])} over {_label(channels[measure_key])}"]
        elif category_key:
            word = "against" if channels[category_key].get("type") == "quantitative" else "by"
            parts.append(f" {word} {_label(channels[category_key])}")
    colour = channels.get("color")
    if colour and colour.get("field") and colour.get("field") != (channels.get(category_key or "", {}) or {}).get("field"):
        parts.append(f", coloured by {_label(colour)}")
    title = _title_text(spec.get("title") or view.get("title"))
    if title:
        parts.append(f", titled “{title}”")
    rows = None if spec.get("transform") or view.get("transform") else _rows(spec, view)
    summary = _summary(rows, channels, measure_key, category_key) if rows and measure_key else ""
    return "".join(parts) + (f": {summary}" if summary else "") + "."


def _first_view(spec: Mapping[str, Any]) -> tuple[Mapping[str, Any], dict[str, Any]]:
    """The first single view of a (possibly layered) spec and its encoding, shared channels included."""
    encoding = dict(spec.get("encoding", {}) or {})
    view: Mapping[str, Any] = spec
    layers = spec.get("layer")
    if not spec.get("mark") and isinstance(layers, list):
        view = next((layer for layer in layers if isinstance(layer, Mapping) and layer.get("mark")), {})
        encoding.update(view.get("encoding", {}) or {})
    return view, encoding


def _roles(channels: Mapping[str, Mapping[str, Any]]) -> tuple[str | None, str | None]:
    """Which channel carries the measure and which the category (or the other measure)."""
    if "theta" in channels:
        return "theta", "color" if "color" in channels else None
    x, y = channels.get("x"), channels.get("y")
    if x and y:
        for kind in ("quantitative", "temporal"):
            if x.get("type") == kind and y.get("type") != kind:
                return "x", "y"
            if y.get("type") == kind:
                return "y", "x"
        return "y", "x"
    if x or y:
        return ("x" if x else "y"), None
    return None, None


def _label(channel: Mapping[str, Any]) -> str:
    title = channel.get("title")
    if isinstance(title, str) and title:
        return title
    field, aggregate = channel.get("field"), channel.get("aggregate")
    name = str(field).replace("_", " ") if field else ""
    if aggregate == "count":
        return "count of records"
    if aggregate:
        return f"{aggregate} of {name}"
    return name or "value"


def _title_text(title: Any) -> str:
    text = title.get("text") if isinstance(title, Mapping) else title
    if isinstance(text, list):
        text = " ".join(str(t) for t in text)
    return str(text).strip() if text else ""


def _rows(spec: Mapping[str, Any], view: Mapping[str, Any]) -> list[Mapping[str, Any]] | None:
    data = view.get("data") or spec.get("data") or {}
    if isinstance(data, Mapping) and isinstance(data.get("values"), list):
        values = data["values"]
    elif isinstance(data, Mapping) and "name" in data:
        values = (spec.get("datasets") or {}).get(data["name"])
    else:
        return None
    return [row for row in values if isinstance(row, Mapping)] if isinstance(values, list) else None


def _number(value: float) -> str:
    """A figure as a reader would write it: whole numbers as they are (years stay 2014), others to about 3 digits."""
    if float(value).is_integer():
        return f"{int(value):,}" if abs(value) >= 10000 else str(int(value))
    if abs(value) >= 10000:
        return f"{value:,.0f}"
    return f"{value:.1f}" if abs(value) >= 100 else f"{value:.3g}"


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value


def _summary(
    rows: Sequence[Mapping[str, Any]],
    channels: Mapping[str, Mapping[str, Any]],
    measure_key: str,
    category_key: str | None,
) -> str:
    measure = channels[measure_key]
    field, aggregate = measure.get("field"), measure.get("aggregate")
    by = channels[category_key].get("field") if category_key else None
    if aggregate in ("count", "sum") and by:
        totals: dict[Any, float] = {}
        for row in rows:
            if aggregate == "count":
                totals[row.get(by)] = totals.get(row.get(by), 0) + 1
            elif _is_number(row.get(field)):
                totals[row.get(by)] = totals.get(row.get(by), 0) + row[field]
        ranked = sorted(totals.items(), key=lambda item: -item[1])
        if not ranked:
            return ""
        if len(ranked) <= LISTED_CATEGORIES:
            return ", ".join(f"{_value(k)} {_number(v)}" for k, v in ranked)
        (top, high), (bottom, low) = ranked[0], ranked[-1]
        return f"highest {_value(top)} ({_number(high)}), lowest {_value(bottom)} ({_number(low)})"
    if aggregate or not field:
        return ""
    if measure.get("type") == "temporal":
        return _time_summary(rows, field, by)
    colour = channels.get("color", {}).get("field")
    present = [row for row in rows if _is_number(row.get(field))]
    if not present:
        return ""

    def where(row: Mapping[str, Any]) -> str:
        keys = [k for k in (by, colour) if k and row.get(k) is not None]
        return f" ({', '.join(_value(row[k]) for k in keys)})" if keys else ""

    low = min(present, key=lambda row: row[field])
    high = max(present, key=lambda row: row[field])
    text = f"lowest {_number(low[field])}{where(low)}, highest {_number(high[field])}{where(high)}"
    missing = [row.get(by) for row in rows if row.get(field) is None and by and row.get(by) is not None]
    if missing:
        shown = ", ".join(_value(m) for m in missing[:LISTED_CATEGORIES])
        text += f"; no value for {shown}{' and others' if len(missing) > LISTED_CATEGORIES else ''}"
    return text


def _time_summary(rows: Sequence[Mapping[str, Any]], field: str, by: str | None) -> str:
    """How many marks, from when to when, and how many in each category when there are few."""
    dated = [row for row in rows if row.get(field) is not None]
    if not dated:
        return ""
    times = sorted(dated, key=lambda row: (0, row[field], "") if _is_number(row[field]) else (1, 0, str(row[field])))
    text = f"{len(dated)} marks from {_value(times[0][field])} to {_value(times[-1][field])}"
    counts: dict[Any, int] = {}
    for row in dated:
        counts[row.get(by)] = counts.get(row.get(by), 0) + 1
    if by and len(counts) <= LISTED_CATEGORIES:
        text += "; " + ", ".join(f"{_value(k)} {v}" for k, v in sorted(counts.items(), key=lambda item: -item[1]))
    return text


def _value(value: Any) -> str:
    return _number(value) if _is_number(value) else str(value).replace("_", " ")


def series_lines(
    data: pd.DataFrame,
    *,
    x: alt.X,
    y: alt.Y,
    series: str,
    order: Sequence[str],
    tooltip: Sequence[alt.Tooltip],
    legend_title: str | None = None,
    legend_on_top: bool = False,
) -> alt.Chart:
    """Lines with points, one per value of the column ``series``, told apart by colour *and* dash.

    Colour and dash share one domain (``order``), so Vega-Lite draws a single legend.
    """
    legend = alt.Legend(orient="top") if legend_on_top else alt.Undefined
    return (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=x,
            y=y,
            color=alt.Color(f"{series}:N", title=legend_title, scale=alt.Scale(domain=list(order)), legend=legend),
            strokeDash=alt.StrokeDash(f"{series}:N", title=legend_title, scale=alt.Scale(domain=list(order))),
            tooltip=list(tooltip),
        )
    )


def series_ends(data: pd.DataFrame, series: str, order: Sequence[str], *, by: str = "year") -> list[tuple[str, pd.Series, pd.Series]]:
    """For each value of ``series`` in ``order``: its first and last row by ``by`` (for chart descriptions)."""
    ends = []
    for name in order:
        rows = data[data[series] == name].sort_values(by)
        if not rows.empty:
            ends.append((name, rows.iloc[0], rows.iloc[-1]))
    return ends


_SERIES = {
    "total_usd_bn": "Total trade",
    "exports_usd_bn": "China's exports",
    "imports_usd_bn": "China's imports",
}


def gap_segments(years: pd.Series) -> pd.Series:
    """Number the runs of consecutive years (1, 1, 2, ...), so a line can stop at a missing year."""
    return (years.diff() != 1).cumsum()


def trade_over_time(
    frame: pd.DataFrame,
    *,
    partner: str,
    title: str | None = None,
    source: str | None = None,
) -> alt.Chart:
    """Line chart of China's goods trade with one partner by year (billion US$).

    ``frame`` has a ``year`` column and any of ``total_usd_bn``, ``exports_usd_bn``,
    ``imports_usd_bn``; each becomes one line.
    """
    require_frame(frame, ["year"], "trade_over_time")
    series = [c for c in _SERIES if c in frame.columns]
    if not series:
        raise ChartInputError(
            f"trade_over_time() needs at least one of {list(_SERIES)}; the frame has {list(frame.columns)}."
        )
    cite = source_of(frame, source, "trade_over_time")
    long = frame[["year", *series]].melt("year", var_name="series", value_name="usd_bn").dropna()
    long["series"] = long["series"].map(_SERIES)
    long["year"] = long["year"].astype(int)
    first, last = int(long["year"].min()), int(long["year"].max())
    years = list(range(first, last + 1))
    missing = [y for y in years if y not in set(long["year"])]
    long = long.sort_values(["series", "year"], kind="stable")
    # A new line id after each gap, so no line is drawn across years without a figure.
    long["line"] = long["series"] + " " + long.groupby("series")["year"].transform(gap_segments).astype(str)
    order = [_SERIES[c] for c in series]
    chart = (
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title="Year", scale=alt.Scale(domain=years)),
            detail=alt.Detail("line:N"),
            y=alt.Y("usd_bn:Q", title="Billion US dollars (current)"),
            # One shared domain for colour and dash, so Vega-Lite draws a single legend.
            color=alt.Color("series:N", title=None, scale=alt.Scale(domain=order)),
            strokeDash=alt.StrokeDash("series:N", title=None, scale=alt.Scale(domain=order)),
            tooltip=[
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("series:N", title="Series"),
                alt.Tooltip("usd_bn:Q", title="Billion US$", format=",.2f"),
            ],
        )
    )
    peak = long[long["series"] == next(o for o in order if o in set(long["series"]))].sort_values("usd_bn").iloc[-1]
    description = (
        f"Line chart of China's goods trade with {partner}, {first} to {last}, in billion US dollars. "
        f"Lines: {', '.join(_SERIES[c] for c in series)}. "
        f"{peak['series']} peaks at {peak['usd_bn']:,.1f} billion in {int(peak['year'])}."
    )
    if missing:
        description += f" No figure for {', '.join(map(str, missing))}."
    return finish(chart, title or f"China's goods trade with {partner}, {first}-{last}", cite, description)


def partner_bars(
    frame: pd.DataFrame,
    *,
    year: int,
    value: str = "total_usd_bn",
    title: str | None = None,
    source: str | None = None,
    highlight: Sequence[str] = ("Russia", "North Korea"),
) -> alt.Chart:
    """Horizontal bars of China's trade with each partner in one year, largest first.

    ``frame`` has a ``partner`` column and the ``value`` column (billion US$), and
    optionally ``share_pct`` (percent of China's total), as returned by
    :func:`balancing_act.analysis.partner_shares`.
    """
    require_frame(frame, ["partner", value], "partner_bars")
    cite = source_of(frame, source, "partner_bars")
    bars = frame.dropna(subset=[value]).rename(columns={value: "usd_bn"}).copy()
    if bars.empty:
        raise ChartInputError(f"partner_bars(): no partner has a {value!r} figure for {year}.")
    bars["group"] = bars["partner"].map(lambda p: "Russia and North Korea" if p in highlight else "Other partners")
    tooltip = [alt.Tooltip("partner:N", title="Partner"), alt.Tooltip("usd_bn:Q", title="Billion US$", format=",.2f")]
    columns = ["partner", "usd_bn", "group"]
    if "share_pct" in bars.columns and bars["share_pct"].notna().any():
        tooltip.append(alt.Tooltip("share_pct:Q", title="Share of China's total (%)", format=".2f"))
        columns.append("share_pct")
    label = {"total_usd_bn": "trade", "exports_usd_bn": "exports", "imports_usd_bn": "imports"}.get(value, value)
    chart = (
        alt.Chart(bars[columns])
        .mark_bar()
        .encode(
            y=alt.Y("partner:N", sort="-x", title=None),
            # the measure is named in the title, so a change of measure keeps the layout (updated in place)
            x=alt.X("usd_bn:Q", title="Billion US dollars"),
            color=alt.Color("group:N", title=None, sort=["Other partners", "Russia and North Korea"]),
            tooltip=tooltip,
        )
    )
    ranked = bars.sort_values("usd_bn", ascending=False)
    description = (
        f"Bar chart of China's {label} with {len(bars)} partners in {year}, in billion US dollars, largest first: "
        + "; ".join(f"{r.partner} {r.usd_bn:,.1f}" for r in ranked.itertuples())
        + "."
    )
    return finish(chart, title or f"China's {label} by partner, {year}", cite, description)


def asymmetry_chart(
    frame: pd.DataFrame,
    *,
    title: str | None = None,
    source: str | None = None,
) -> alt.Chart:
    """Grouped bars of dependence both ways: each partner's share of China's trade,
    and China's share of that partner's trade (percent).

    ``frame`` has ``partner``, ``perspective`` and ``share_pct`` columns, as returned by
    :func:`balancing_act.analysis.asymmetry`.
    """
    require_frame(frame, ["partner", "perspective", "share_pct"], "asymmetry_chart")
    cite = source_of(frame, source, "asymmetry_chart")
    data = frame.dropna(subset=["share_pct"]).copy()
    tooltip = [
        alt.Tooltip("partner:N", title="Partner"),
        alt.Tooltip("perspective:N", title="Measure"),
        alt.Tooltip("share_pct:Q", title="Share (%)", format=".2f"),
    ]
    if "year" in data.columns:
        tooltip.insert(1, alt.Tooltip("year:O", title="Year"))
    order = list(dict.fromkeys(data["perspective"]))
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("perspective:N", title=None, sort=order, axis=alt.Axis(labelLimit=260)),
            x=alt.X("share_pct:Q", title="Share of total goods trade (%)", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("perspective:N", title=None, sort=order, legend=None),
            row=alt.Row("partner:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left")),
            tooltip=tooltip,
        )
    )
    parts = [f"{r.partner}: {r.perspective} {r.share_pct:.1f}%" for r in data.itertuples()]
    description = "Bar chart comparing dependence in both directions, in percent of total goods trade. " + "; ".join(parts) + "."
    return finish(chart, title or "Who depends on whom?", cite, description, width=_WIDTH - 120, height=60)


def fitted_spec(chart: alt.Chart) -> dict[str, Any]:
    """The chart's Vega-Lite dict with its title fitted, unvalidated: for redraws of a chart whose builder is tested."""
    return fit_title(chart.to_dict(validate=False))


def mimebundle(chart: alt.Chart) -> dict[str, object]:
    """The display data JupyterLab renders offline: Vega-Lite v5 JSON plus a text alternative."""
    spec = fit_title(chart.to_dict())
    return {
        "application/vnd.vegalite.v5+json": spec,
        "text/plain": _describe_in_place(spec),
    }
