"""Interactive explorers built from ipywidgets.

Each explorer keeps its state in validated traits with help text, so it can be
driven and tested without a kernel: set a trait (or move a control, which sets the
trait) and read :attr:`summary` and :attr:`chart`. Charts are drawn by a
:class:`balancing_act.live.chart.LiveChart`, which changes the chart on the page in
place when only its rows or title change, with no network connection.
"""

from __future__ import annotations

from html import escape
from typing import Any

import ipywidgets as widgets
import pandas as pd
import traitlets

from balancing_act.fallback import KernelFallback
from balancing_act import analysis, charts
from balancing_act.live.chart import LiveChart

__all__ = ["PartnerExplorer"]


class PartnerExplorer(KernelFallback, widgets.VBox):
    """Pick a year and a measure; see China's trade by partner and each partner's share.

    ``frame`` is the ``china_customs_trade`` dataset (or any frame with its columns).
    Only years with figures for at least ``min_partners`` partners are offered.
    """

    year = traitlets.Int(help="Calendar year shown; must be one of the years offered.").tag(sync=False)
    metric = traitlets.Unicode(
        "total_usd_bn",
        help="Which figure to compare: 'total_usd_bn', 'exports_usd_bn' or 'imports_usd_bn'.",
    ).tag(sync=False)

    def __init__(self, frame: pd.DataFrame, *, year: int | None = None, min_partners: int = 4, **kwargs: Any) -> None:
        charts.require_frame(frame, ["year", "partner", "total_usd_bn"], "PartnerExplorer")
        self._frame = frame
        partners = frame[frame["partner"] != "World"].dropna(subset=["total_usd_bn"])
        counts = partners.groupby("year")["partner"].nunique()
        self._years = sorted(int(y) for y, n in counts.items() if n >= min_partners)
        if not self._years:
            raise charts.ChartInputError(f"PartnerExplorer: no year has figures for {min_partners} or more partners.")
        self._metrics = {k: v for k, v in analysis.VALUES.items() if k in frame.columns}
        self._year_control = widgets.Dropdown(
            options=self._years, description="Year", style={"description_width": "initial"}
        )
        self._metric_control = widgets.ToggleButtons(
            options=[(label.capitalize(), key) for key, label in self._metrics.items()],
            description="Measure",
            tooltips=[f"Compare China's {label}" for label in self._metrics.values()],
            style={"description_width": "initial"},
        )
        self._summary = widgets.HTML(layout=widgets.Layout(margin="4px 0"))
        self._output = LiveChart(layout=widgets.Layout(min_height="320px"))
        self._summary_text = ""
        self.chart: Any = None
        super().__init__(
            children=[self._year_control, self._metric_control, self._summary, self._output], **kwargs
        )
        widgets.link((self._year_control, "value"), (self, "year"))
        widgets.link((self._metric_control, "value"), (self, "metric"))
        self.observe(self._redraw, names=["year", "metric"])
        self.year = year if year is not None else self._years[-1]
        self._redraw()

    def __repr__(self) -> str:
        return f"PartnerExplorer(year={self.year}, metric={self.metric!r})"

    @traitlets.validate("year")
    def _valid_year(self, proposal: dict[str, Any]) -> int:
        value = proposal["value"]
        if value not in self._years:
            raise traitlets.TraitError(f"year {value!r} is not offered; choose one of {self._years}.")
        return value

    @traitlets.validate("metric")
    def _valid_metric(self, proposal: dict[str, Any]) -> str:
        value = proposal["value"]
        if value not in self._metrics:
            raise traitlets.TraitError(f"metric {value!r} is not available; choose one of {list(self._metrics)}.")
        return value

    @property
    def summary(self) -> str:
        """The plain-text summary shown under the controls."""
        return self._summary_text

    def _redraw(self, _change: object = None) -> None:
        shares = analysis.partner_shares(self.year, self.metric, self._frame).set_index("partner")
        parts = []
        for partner in analysis.PARTNERS:
            if partner not in shares.index:
                parts.append(f"{partner}: no figure")
                continue
            amount = float(shares.loc[partner, self.metric])
            share = float(shares.loc[partner, "share_pct"])
            text = f"{partner}: {amount:,.2f} bn US$"
            if share == share:  # not NaN
                text += f" = {share:.2f}% of China's total"
            parts.append(text)
        label = self._metrics[self.metric]
        note = f" {shares.attrs['note']}" if shares.attrs.get("note") else ""
        self._summary_text = f"{self.year}, China's {label}. " + "; ".join(parts) + "." + note
        self._summary.value = f"<p>{escape(self._summary_text)}</p>"
        self.chart = charts.partner_bars(shares.reset_index(), year=self.year, value=self.metric)
        self._output.show(charts.fitted_spec(self.chart))
