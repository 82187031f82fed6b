"""Tests for balancing_act.live: a chart that changes in place, tested without a kernel or a browser."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import altair as alt
import pandas as pd
import pytest
import traitlets

from balancing_act.live import build
from balancing_act.live.chart import BUNDLE, LiveChart, LivePanels, prepare


def _bars(values: list[float], title: str = "Trade, 2023", description: str = "Bars.") -> alt.Chart:
    frame = pd.DataFrame({"partner": ["A", "B", "C"][: len(values)], "value": values})
    return (
        alt.Chart(frame, title=alt.Title(title, subtitle="Source: a test"), description=description)
        .mark_bar()
        .encode(x=alt.X("value:Q"), y=alt.Y("partner:N"), tooltip=["partner:N", "value:Q"])
    )


def test_prepare_names_the_rows_and_lifts_title_and_description() -> None:
    layout, rows, signals, description = prepare(_bars([1.0, 2.0]).to_dict())
    assert list(rows) == ["rows_0"] and rows["rows_0"] == [{"partner": "A", "value": 1.0}, {"partner": "B", "value": 2.0}]
    assert layout["data"] == {"name": "rows_0"} and "datasets" not in layout and "description" not in layout
    assert signals == {"ba_title": "Trade, 2023"}
    assert layout["title"]["text"] == {"expr": "ba_title"} and layout["title"]["subtitle"] == "Source: a test"
    assert description == "Bars."


def test_prepare_lifts_inline_layer_values_in_order() -> None:
    spec = {
        "layer": [
            {"data": {"values": [{"x": 1}]}, "mark": "point"},
            {"data": {"values": [{"x": 2}]}, "mark": "rule"},
        ]
    }
    layout, rows, _signals, _description = prepare(spec)
    assert rows == {"rows_0": [{"x": 1}], "rows_1": [{"x": 2}]}
    assert [layer["data"] for layer in layout["layer"]] == [{"name": "rows_0"}, {"name": "rows_1"}]
    assert spec["layer"][0]["data"] == {"values": [{"x": 1}]}, "the chart given is left as it was"


def test_only_new_rows_title_and_description_travel_in_place() -> None:
    live = LiveChart(_bars([1.0, 2.0]))
    assert (live.embeds, live.updates) == (1, 0)
    first_spec = live.spec
    live.show(_bars([3.0, 4.0], title="Trade, 2024", description="Other bars."))
    assert (live.embeds, live.updates) == (1, 1)
    assert live.spec is first_spec, "the embedded spec was not replaced"
    assert live.update["datasets"]["rows_0"] == [{"partner": "A", "value": 3.0}, {"partner": "B", "value": 4.0}]
    assert live.update["signals"]["ba_title"] == "Trade, 2024"
    assert live.description == "Other bars."
    assert live.outputs[0]["data"]["text/plain"] == "Other bars."


def test_a_different_layout_or_subtitle_is_embedded_afresh() -> None:
    live = LiveChart(_bars([1.0, 2.0]))
    live.show(_bars([1.0, 2.0]).mark_point())
    assert (live.embeds, live.updates) == (2, 0)
    assert live.spec["mark"] == {"type": "point"}
    live.show(_bars([1.0, 2.0]).mark_point().properties(title=alt.Title("Trade, 2023", subtitle="Source: another")))
    assert (live.embeds, live.updates) == (3, 0)


def test_the_embedded_spec_is_the_chart_with_its_title_as_a_parameter() -> None:
    chart = _bars([1.0, 2.0])
    live = LiveChart(chart)
    spec = live.spec
    assert spec["datasets"] == {"rows_0": chart.to_dict()["datasets"][next(iter(chart.to_dict()["datasets"]))]}
    assert {"name": "ba_title", "value": "Trade, 2023"} in spec["params"]
    assert spec["description"] == "Bars."
    alt.Chart.from_dict(spec)  # still a valid Vega-Lite spec


def _ranged(start: int, end: int, *extra: alt.Parameter) -> alt.Chart:
    frame = pd.DataFrame({"year": [2019, 2021], "value": [1.0, 2.0]})
    low, high = alt.param(name="ba_low", value=start), alt.param(name="ba_high", value=end)
    x = alt.X("year:Q", scale=alt.Scale(domain=[alt.ExprRef("ba_low"), alt.ExprRef("ba_high")]))
    return alt.Chart(frame).mark_line().encode(x=x, y="value:Q").add_params(low, high, *extra)


def test_prepare_lifts_the_values_of_ba_params_and_keeps_other_params() -> None:
    other = alt.param(name="opacity", value=0.5)
    layout, _rows, signals, _description = prepare(_ranged(2018, 2022, other).to_dict())
    assert signals == {"ba_low": 2018, "ba_high": 2022}
    assert layout["params"] == [{"name": "opacity", "value": 0.5}]
    bound = {"name": "ba_bound", "value": 1, "bind": {"input": "range"}}  # a bound param is the page's, not ours
    layout, _rows, signals, _description = prepare({"mark": "point", "params": [bound]})
    assert signals == {} and layout["params"] == [bound]


def test_a_new_param_value_travels_in_place_and_is_embedded_with_the_chart() -> None:
    live = LiveChart(_ranged(2018, 2022))
    assert {"name": "ba_low", "value": 2018} in live.spec["params"]
    alt.Chart.from_dict(live.spec)
    live.show(_ranged(2015, 2022))
    assert (live.embeds, live.updates) == (1, 1)
    assert live.update["signals"] == {"ba_low": 2015, "ba_high": 2022}
    assert live.update["datasets"] == {}, "the rows did not change, so none were sent"
    assert live.outputs[0]["data"]["application/vnd.vegalite.v5+json"]["params"][0] == {"name": "ba_low", "value": 2015}


def test_clear_shows_nothing_and_the_next_chart_is_embedded() -> None:
    live = LiveChart(_bars([1.0]))
    live.clear()
    assert live.outputs == () and live.spec == {}
    live.show(_bars([1.0]))
    assert live.embeds == 2 and live.outputs


def test_the_bundle_is_built_from_the_current_source_and_loads_nothing_from_the_network() -> None:
    assert build.is_current(), "live_chart.bundle.js is stale: run python -m balancing_act.live.build"
    text = BUNDLE.read_text(encoding="utf-8")
    assert "export" in text and "vega" in text.lower()
    assert "https://esm.sh" not in text and "cdn.jsdelivr" not in text and "unpkg.com" not in text


def test_the_build_check_fails_on_a_changed_source(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "live_chart.js"
    source.write_text(build.SOURCE.read_text(encoding="utf-8") + "\n// changed\n", encoding="utf-8")
    monkeypatch.setattr(build, "SOURCE", source)
    assert not build.is_current()
    assert build.main(["--check"]) == 1


def test_importing_the_package_reads_nothing() -> None:
    code = "import sys, balancing_act.live; print(json.dumps(sorted(m for m in sys.modules if m.startswith('balancing_act.live'))))"
    out = subprocess.run([sys.executable, "-c", "import json; " + code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == ["balancing_act.live"]


def test_rows_that_did_not_change_are_not_sent_again() -> None:
    def layered(marker: float) -> alt.LayerChart:
        cells = alt.Chart(pd.DataFrame({"x": [1, 2, 3], "y": [1, 2, 3]})).mark_rect().encode(x="x:O", y="y:O")
        mark = alt.Chart(pd.DataFrame({"x": [marker], "y": [marker]})).mark_point().encode(x="x:O", y="y:O")
        return alt.layer(cells, mark)

    live = LiveChart(layered(1))
    live.show(layered(2))
    assert list(live.update["datasets"]) == ["rows_1"], "only the moved marker's rows travel"
    live.show(layered(2))
    assert live.update["datasets"] == {} and live.updates == 2


# ------------------------------------------------------------------ LivePanels
def _panels() -> list[dict]:
    return [_ranged(2018, 2022).properties(description=f"Panel {n}.").to_dict() for n in range(3)]


def test_spec_and_updates_travel_as_json_text_with_missing_numbers_as_null() -> None:
    # ipywidgets walks every list and dict of the state it sends; a chart's rows go as one string.
    from ipywidgets.widgets.widget import _remove_buffers

    live = LiveChart(_bars([1.0, 2.0]))
    state, buffer_paths, _buffers = _remove_buffers(live.get_state(["spec", "update"]))
    assert isinstance(state["spec"], str) and buffer_paths == []
    assert json.loads(state["spec"]) == live.spec
    points = {"mark": "point", "encoding": {"x": {"field": "v", "type": "quantitative"}}}
    live.show({**points, "data": {"values": [{"v": 1.0}]}})
    live.show({**points, "data": {"values": [{"v": float("nan")}, {"v": float("-inf")}, {"v": 2.0}]}})
    assert live.updates == 1
    sent = json.loads(live.get_state(["update"])["update"])  # strict JSON: NaN is not JSON, the page's parser refuses it
    assert sent["datasets"]["rows_0"] == [{"v": None}, {"v": None}, {"v": 2.0}]
    assert math.isnan(live.update["datasets"]["rows_0"][0]["v"]), "the widget's own value keeps the number"


def test_panels_are_embedded_once_and_a_choice_travels_in_one_message() -> None:
    live = LivePanels(_panels())
    sent: list[set[str]] = []
    live.send_state = lambda key=None: sent.append(set(key) if key is not None else {"all"})  # type: ignore[method-assign]
    live.show([0, 2], signals={"ba_low": 2015, "ba_high": 2022}, columns=2, description="Two panels.")
    assert sent == [{"shown", "columns", "signals", "description"}], "the choice went in more than one message"
    assert (live.embeds, live.updates) == (1, 1)
    assert [p["description"] for p in live.current] == ["Panel 0.", "Panel 2."]
    assert live.current[0]["params"] == [{"name": "ba_low", "value": 2015}, {"name": "ba_high", "value": 2022}]
    assert live.panels[0]["params"][0] == {"name": "ba_low", "value": 2018}, "the embedded panel was changed"
    assert [o["data"]["text/plain"] for o in live.outputs] == ["Panel 0.", "Panel 2."]
    live.show([])
    assert live.outputs == () and live.embeds == 1


@pytest.mark.parametrize(
    ("shown", "message"),
    [([3], r"shown = \[3\]: give each panel's index once, in order, from 0 to 2"), ([1, 0], "in order"), ([1, 1], "once")],
)
def test_panels_refuse_a_choice_that_is_not_theirs(shown: list[int], message: str) -> None:
    live = LivePanels(_panels())
    with pytest.raises(traitlets.TraitError, match=message):
        live.show(shown)


def test_panels_refuse_a_signal_none_of_them_has() -> None:
    live = LivePanels(_panels())
    with pytest.raises(traitlets.TraitError, match=r"signal 'ba_year' is not a ba_\.\.\. param of any panel; the panels have \['ba_high', 'ba_low'\]"):
        live.show([0], signals={"ba_year": 2020})
