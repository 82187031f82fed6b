"""Lesson 6 topic module: vote tables, agreement scores, charts and the voting explorer."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
import traitlets

from balancing_act import charts
from balancing_act.charts import ChartInputError
from balancing_act.data import load
from balancing_act.live.chart import prepare
from balancing_act.topics import diplomacy
from balancing_act.topics.diplomacy import VoteDataError, VotingExplorer

DATA = Path(__file__).resolve().parents[1] / "data"


def _assembly() -> pd.DataFrame:
    """Four toy General Assembly votes, out of date order, with gaps like the real data."""
    frame = pd.DataFrame(
        {
            "date": ["2023-02-23", "2022-03-02", "2022-04-07", "2023-04-26"],
            "resolution": ["A/RES/ES-11/6", "A/RES/ES-11/1", "A/RES/ES-11/3", "UN-Council of Europe cooperation resolution (symbol not seen)"],
            "title_short": ["Peace principles", "Aggression", "Human Rights Council", "UN and Council of Europe"],
            "in_favour": pd.array([141, 141, 93, 122], dtype="Int64"),
            "against": pd.array([7, 5, 24, 5], dtype="Int64"),
            "abstentions": pd.array([32, 35, 58, 18], dtype="Int64"),
            "china_vote": ["abstain", "abstain", "no", "yes"],
            "russia_vote": ["no", "no", "no", "no"],
            "dprk_vote": ["no", "no", "no", None],
            "us_vote": ["yes", "yes", None, "absent"],
        }
    )
    frame.attrs["source"] = "Source: Example UN records"
    return frame


def _council() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "date": ["2006-10-14", "2022-05-26", "2024-03-28"],
            "document": ["S/RES/1718 (2006)", "US-tabled draft resolution (9048th meeting)", "US-tabled draft resolution (9591st meeting)"],
            "outcome": ["adopted", "vetoed", "vetoed"],
            "summary": ["Arms embargo", "New sanctions", "Panel renewal"],
            "china_vote": ["yes", "no", "abstain"],
            "russia_vote": ["yes", "no", "no"],
        }
    )
    frame.attrs["source"] = "Source: Example Council records"
    return frame


# ------------------------------------------------------------------ labels and tables
def test_resolution_labels_are_short_and_dated() -> None:
    assert diplomacy.resolution_label("A/RES/ES-11/1", "2022-03-02") == "ES-11/1 (Mar 2022)"
    assert diplomacy.resolution_label("A/78/L.90 (adopted)", "2024-07-11") == "A/78/L.90 (Jul 2024)"
    assert diplomacy.resolution_label("UN-Council of Europe cooperation resolution (symbol not seen)", "2023-04-26") == "UN-CoE text (Apr 2023)"
    assert diplomacy.resolution_label("S/RES/2397 (2017)", "2017-12-22") == "Res. 2397 (Dec 2017)"
    assert diplomacy.resolution_label("anything", "2024-03-28", "vetoed") == "Vetoed draft (Mar 2024)"
    with pytest.raises(VoteDataError, match=r"date '2024/03' is not of the form YYYY-MM-DD"):
        diplomacy.resolution_label("A/RES/ES-11/1", "2024/03")


def test_assembly_votes_is_long_ordered_and_keeps_gaps() -> None:
    votes = diplomacy.assembly_votes(_assembly())
    assert list(votes.columns) == ["order", "date", "resolution", "label", "title", "country", "vote", "vote_label"]
    assert len(votes) == 16
    assert list(dict.fromkeys(votes["label"])) == ["ES-11/1 (Mar 2022)", "ES-11/3 (Apr 2022)", "ES-11/6 (Feb 2023)", "UN-CoE text (Apr 2023)"]
    assert list(votes["country"].iloc[:4]) == ["China", "Russia", "North Korea", "United States"]
    gap = votes[(votes["label"] == "ES-11/3 (Apr 2022)") & (votes["country"] == "United States")].iloc[0]
    assert gap["vote"] is None and gap["vote_label"] == "Not recorded"
    assert votes.attrs["source"] == "Source: Example UN records"


def test_council_votes_names_vetoed_drafts() -> None:
    votes = diplomacy.council_votes(_council())
    assert list(dict.fromkeys(votes["label"])) == ["Res. 1718 (Oct 2006)", "Vetoed draft (May 2022)", "Vetoed draft (Mar 2024)"]
    assert set(votes["country"]) == {"China", "Russia"}
    assert votes.attrs["body"] == "UN Security Council"


def test_bad_vote_values_and_missing_columns_are_refused() -> None:
    frame = _assembly()
    frame.loc[0, "china_vote"] = "maybe"
    with pytest.raises(VoteDataError, match=r"column 'china_vote' \(China\) holds \['maybe'\]; votes must be one of"):
        diplomacy.assembly_votes(frame)
    with pytest.raises(ChartInputError, match=r"missing \['us_vote'\]"):
        diplomacy.assembly_votes(_assembly().drop(columns="us_vote"))
    with pytest.raises(ChartInputError, match="needs a pandas DataFrame"):
        diplomacy.council_votes([1, 2])


def test_assembly_totals_long_form_and_incomplete_rows() -> None:
    totals = diplomacy.assembly_totals(_assembly())
    assert len(totals) == 12
    first = totals[totals["order"] == 0].set_index("outcome")["states"]
    assert first.to_dict() == {"In favour": 141, "Against": 5, "Abstentions": 35}
    frame = _assembly()
    frame.loc[1, "against"] = pd.NA
    with pytest.raises(VoteDataError, match=r"the totals of 'A/RES/ES-11/1' are incomplete"):
        diplomacy.assembly_totals(frame)


def test_vote_counts_table() -> None:
    counts = diplomacy.vote_counts(diplomacy.assembly_votes(_assembly()))
    assert list(counts.index) == ["China", "Russia", "North Korea", "United States"]
    assert list(counts.columns) == ["Yes", "No", "Abstain", "Absent", "Not recorded"]
    assert counts.loc["China"].to_dict() == {"Yes": 1, "No": 1, "Abstain": 2, "Absent": 0, "Not recorded": 0}
    assert counts.loc["United States", "Absent"] == 1


# ------------------------------------------------------------------------- agreement
def test_agreement_counts_only_votes_cast_by_both() -> None:
    votes = diplomacy.assembly_votes(_assembly())
    china_russia = diplomacy.agreement(votes, "China", "Russia")
    assert (china_russia.same, china_russia.compared, china_russia.left_out) == (1, 4, ())
    assert china_russia.share_pct == 25
    assert china_russia.sentence() == "China and Russia: same vote on 1 of 4 (25%)."
    us_dprk = diplomacy.agreement(votes, "United States", "North Korea")
    # ES-11/3: US not recorded; UN-CoE: US absent and DPRK not recorded -> both left out
    assert (us_dprk.same, us_dprk.compared) == (0, 2)
    assert us_dprk.left_out == ("ES-11/3 (Apr 2022)", "UN-CoE text (Apr 2023)")
    assert "left out, a vote not recorded: ES-11/3 (Apr 2022), UN-CoE text (Apr 2023)" in us_dprk.sentence()


def test_agreement_on_a_subset_and_with_nothing_to_compare() -> None:
    votes = diplomacy.assembly_votes(_assembly())
    result = diplomacy.agreement(votes, "Russia", "North Korea", ["UN-CoE text (Apr 2023)"])
    assert result.compared == 0 and math.isnan(result.share_pct)
    assert result.sentence().startswith("Russia and North Korea: no selected resolution has a recorded vote for both")


def test_agreement_refuses_unknown_names_with_the_choices() -> None:
    votes = diplomacy.assembly_votes(_assembly())
    with pytest.raises(VoteDataError, match=r"no country called 'Iran'.*Choose from \['China', 'Russia', 'North Korea', 'United States'\]"):
        diplomacy.agreement(votes, "China", "Iran")
    with pytest.raises(VoteDataError, match="compare two different countries"):
        diplomacy.agreement(votes, "China", "China")
    with pytest.raises(VoteDataError, match=r"no resolution labelled 'ES-11/9'. Choose from \['ES-11/1 \(Mar 2022\)'"):
        diplomacy.agreement(votes, "China", "Russia", ["ES-11/9"])


def test_agreement_table_has_every_pair() -> None:
    table = diplomacy.agreement_table(diplomacy.assembly_votes(_assembly()))
    assert len(table) == 6
    assert list(table.columns) == ["first", "second", "same", "compared", "share_pct", "left_out"]
    row = table[(table["first"] == "Russia") & (table["second"] == "North Korea")].iloc[0]
    assert (row["same"], row["compared"], row["left_out"]) == (3, 3, 1)
    with pytest.raises(VoteDataError, match="at least two countries"):
        diplomacy.agreement_table(diplomacy.assembly_votes(_assembly()), ["China"])


# ---------------------------------------------------------------------------- charts
def test_totals_chart_spec() -> None:
    spec = diplomacy.totals_chart(diplomacy.assembly_totals(_assembly())).to_dict()
    assert spec["title"]["text"] == "UN General Assembly votes on Ukraine: the totals"
    assert spec["title"]["subtitle"] == ["Source: Example UN records"]
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["x"]["title"] == "UN member states (number)"
    assert spec["encoding"]["y"]["sort"][0] == "ES-11/1 (Mar 2022)"
    assert spec["encoding"]["color"]["scale"] == {
        "domain": ["In favour", "Against", "Abstentions"],
        "range": ["#009E73", "#D55E00", "#56B4E9"],
    }
    assert {t["field"] for t in spec["encoding"]["tooltip"]} == {"label", "title", "date", "outcome", "states"}
    assert "ES-11/1 (Mar 2022) 141 for, 5 against, 35 abstaining" in spec["description"]


def test_totals_chart_refuses_bad_frames() -> None:
    with pytest.raises(ChartInputError, match="empty frame"):
        diplomacy.totals_chart(diplomacy.assembly_totals(_assembly()).iloc[0:0])
    totals = diplomacy.assembly_totals(_assembly())
    totals.attrs = {}
    with pytest.raises(ChartInputError, match="carries no source"):
        diplomacy.totals_chart(totals)
    totals = diplomacy.assembly_totals(_assembly())
    totals.loc[0, "outcome"] = "Present"
    with pytest.raises(ChartInputError, match=r"outcome 'Present' is not one of"):
        diplomacy.totals_chart(totals)


def test_vote_grid_chart_labels_every_cell_and_describes_the_counts() -> None:
    spec = diplomacy.vote_grid_chart(diplomacy.assembly_votes(_assembly())).to_dict()
    rect, text = spec["layer"]
    assert rect["mark"]["type"] == "rect" and text["mark"]["type"] == "text"
    assert text["encoding"]["text"]["field"] == "vote_label"  # colour is never the only cue
    assert rect["encoding"]["color"]["scale"]["domain"] == ["Yes", "No", "Abstain", "Absent", "Not recorded"]
    assert rect["encoding"]["color"]["scale"]["range"][:3] == ["#009E73", "#D55E00", "#56B4E9"]
    assert rect["encoding"]["tooltip"] and text["encoding"]["tooltip"]
    assert rect["encoding"]["x"]["sort"] == ["China", "Russia", "North Korea", "United States"]
    assert spec["title"]["text"] == "Who voted how? UN General Assembly"
    assert "China: 1 yes, 1 no, 2 abstain" in spec["description"]
    assert "United States: 2 yes, 1 absent, 1 not recorded" in spec["description"]
    cells = next(iter(spec["datasets"].values()))
    assert {c["ink"] for c in cells if c["vote_label"] == "No"} == {"white"}


def test_vote_grid_chart_for_the_council_and_bad_input() -> None:
    spec = diplomacy.vote_grid_chart(diplomacy.council_votes(_council()), title="Council").to_dict()
    assert spec["title"] == {"text": "Council", "subtitle": ["Source: Example Council records"], "anchor": "start"}
    assert "China: 1 yes, 1 no, 1 abstain; Russia: 1 yes, 2 no" in spec["description"]
    votes = diplomacy.assembly_votes(_assembly())
    votes.loc[0, "vote_label"] = "Maybe"
    with pytest.raises(ChartInputError, match=r"vote label 'Maybe' is not one of"):
        diplomacy.vote_grid_chart(votes)
    with pytest.raises(ChartInputError, match=r"missing \['vote_label'\]"):
        diplomacy.vote_grid_chart(votes.drop(columns="vote_label"))


# -------------------------------------------------------------------------- explorer
def test_explorer_starts_with_everything_and_scores_every_pair() -> None:
    explorer = VotingExplorer(_assembly())
    assert explorer._resolution_control.description == "Resolutions"
    assert explorer._country_control.description == "Countries"
    assert len(explorer.resolutions) == 4 and len(explorer.countries) == 4
    assert len(explorer.scores) == 6
    assert "China and Russia: same vote on 1 of 4 (25%)." in explorer.summary
    shown = explorer._output.outputs[0]["data"]
    assert "application/vnd.vegalite.v5+json" in shown
    assert repr(explorer) == "VotingExplorer(resolutions=4 of 4, countries=['China', 'Russia', 'North Korea', 'United States'])"


def test_moving_the_controls_filters_the_grid_and_the_score() -> None:
    explorer = VotingExplorer(_assembly())
    explorer._country_control.value = ("Russia", "China")
    assert explorer.countries == ("Russia", "China")
    explorer._resolution_control.value = ("ES-11/3 (Apr 2022)", "ES-11/6 (Feb 2023)")
    assert explorer.summary.startswith("2 of 4 resolutions, 2 countries.")
    assert "China and Russia: same vote on 1 of 2 (50%)." in explorer.summary
    spec = explorer.chart.to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert {r["country"] for r in rows} == {"China", "Russia"}
    assert {r["label"] for r in rows} == {"ES-11/3 (Apr 2022)", "ES-11/6 (Feb 2023)"}
    # the whole table fixes the order of rows and columns, so the filtered grid keeps one layout
    assert spec["layer"][0]["encoding"]["x"]["sort"][:2] == ["China", "Russia"]
    assert explorer._output.embeds == 1 and explorer._output.updates >= 2


def test_explorer_explains_incomplete_selections() -> None:
    explorer = VotingExplorer(_assembly(), countries=["United States"])
    assert "Select two or more countries" in explorer.summary and explorer.scores == []
    assert explorer.chart is not None
    explorer._resolution_control.value = ()
    assert explorer.summary == "Select at least one resolution and one country to see their votes."
    assert explorer.chart is None and explorer._output.outputs == ()


def test_a_change_draws_what_vote_grid_chart_draws_without_building_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """The explorer swaps the chosen rows into a grid built once; the page gets what the builder gives."""
    explorer = VotingExplorer(_assembly())
    labels, countries = list(explorer.resolutions), list(explorer.countries)
    picks = [(labels, countries), (labels[:1], countries), (labels[1:3][::-1], countries[2:]), (labels, countries[:1])]
    shown = []
    built = []
    real = diplomacy.vote_grid_chart
    monkeypatch.setattr(diplomacy, "vote_grid_chart", lambda *a, **k: built.append(1) or real(*a, **k))
    for resolutions, names in picks:
        explorer.resolutions, explorer.countries = tuple(resolutions), tuple(names)
        shown.append(explorer._output.current)
    assert built == [], "a change built the grid with Altair again"
    assert explorer._output.embeds == 1, "a change embedded a new chart instead of changing its rows"
    for (resolutions, names), spec in zip(picks, shown):
        explorer.resolutions, explorer.countries = tuple(resolutions), tuple(names)
        expected = charts.fitted_spec(explorer.chart)  # the chart made on demand, by vote_grid_chart
        assert prepare(spec) == prepare(expected), (resolutions, names)
    assert len(built) == len(picks)


def test_explorer_escapes_summary_html_and_refuses_unknown_choices() -> None:
    frame = _assembly()
    frame.loc[0, "resolution"] = "A/RES/<b>X</b>"
    frame.loc[0, "dprk_vote"] = None
    explorer = VotingExplorer(frame)
    assert "<b>X</b> (Feb 2023)" in explorer.summary
    assert "<b>" not in explorer._summary.value and "&lt;b&gt;X&lt;/b&gt;" in explorer._summary.value
    with pytest.raises(traitlets.TraitError, match=r"country 'Iran' is not offered; choose from \['China'"):
        explorer.countries = ("Iran",)
    with pytest.raises(traitlets.TraitError, match=r"resolution 'ES-11/9' is not offered"):
        explorer.resolutions = ("ES-11/9",)


# ------------------------------------------------------------------ the course data
@pytest.fixture
def real_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BALANCING_ACT_DATA", str(DATA))


def test_real_data_builds_every_table_and_chart(real_data: None) -> None:
    votes = diplomacy.assembly_votes()
    council = diplomacy.council_votes()
    assert votes["label"].nunique() == len(load("unga_ukraine_votes"))
    assert council["label"].nunique() == len(load("unsc_dprk_votes"))
    for chart in (
        diplomacy.totals_chart(diplomacy.assembly_totals()),
        diplomacy.vote_grid_chart(votes),
        diplomacy.vote_grid_chart(council),
    ):
        spec = chart.to_dict()
        assert spec["title"]["subtitle"][-1].startswith("Source:")
        assert spec["description"]
    explorer = VotingExplorer(load("unga_ukraine_votes"))
    assert diplomacy.agreement(votes, "China", "Russia").sentence() in explorer.summary


# ------------------------------------------------------- roll calls over five decades
def _rollcalls() -> pd.DataFrame:
    """Five toy roll calls over two years, with an abstention, a gap and a non-member."""
    frame = pd.DataFrame(
        {
            "rcid": [1, 2, 3, 4, 5],
            "date": ["1990-10-01", "1990-11-01", "1991-10-01", "1991-11-01", "1991-12-01"],
            "china": ["yes", "abstain", "yes", None, "no"],
            "russia": ["yes", "no", "yes", "yes", "no"],
            "north_korea": [None, None, "yes", "yes", "abstain"],
            "united_states": ["no", "no", "yes", "no", None],
        }
    )
    frame.attrs["source"] = "Source: Example roll calls"
    return frame


def _counts(frame: pd.DataFrame) -> dict[tuple[int, str], tuple[int, int]]:
    return {(int(r.year), r.partner): (int(r.both_voted), int(r.same_vote)) for r in frame.itertuples()}


def test_yearly_agreement_counts_only_votes_both_cast() -> None:
    yearly = diplomacy.yearly_agreement(_rollcalls())
    assert list(yearly.columns) == ["year", "partner", "both_voted", "same_vote"]
    assert _counts(yearly) == {
        (1990, "Russia"): (2, 1),  # abstain and no are different votes
        (1990, "United States"): (2, 0),
        (1991, "North Korea"): (2, 1),  # roll call 4: China did not vote
        (1991, "Russia"): (2, 2),
        (1991, "United States"): (1, 1),  # roll call 5: the US did not vote
    }
    assert yearly.attrs["source"] == "Source: Example roll calls"


def test_yearly_agreement_with_chosen_partners_and_bad_names() -> None:
    assert set(diplomacy.yearly_agreement(_rollcalls(), partners=["Russia"])["partner"]) == {"Russia"}
    with pytest.raises(VoteDataError, match="no country called 'France'"):
        diplomacy.yearly_agreement(_rollcalls(), partners=["France"])
    with pytest.raises(VoteDataError, match="not with itself"):
        diplomacy.yearly_agreement(_rollcalls(), partners=["China"])
    with pytest.raises(ChartInputError, match="missing"):
        diplomacy.yearly_agreement(_rollcalls().drop(columns="russia"))


def test_agreement_trend_chart_drops_thin_years_and_describes_the_ends() -> None:
    yearly = diplomacy.yearly_agreement(_rollcalls())
    spec = diplomacy.agreement_trend_chart(yearly, min_votes=2).to_dict()
    drawn = {(row["year"], row["partner"]) for row in spec["datasets"][spec["data"]["name"]]}
    assert (1991, "United States") not in drawn and (1991, "Russia") in drawn
    assert spec["title"]["subtitle"] == ["Source: Example roll calls"]
    assert "with Russia 50% in 1990 and 100% in 1991" in spec["description"]
    with pytest.raises(ChartInputError, match="lower min_votes"):
        diplomacy.agreement_trend_chart(yearly, min_votes=3)
    with pytest.raises(ChartInputError, match="min_votes must be a whole number"):
        diplomacy.agreement_trend_chart(yearly, min_votes=0)


def _shipped_yearly() -> pd.DataFrame:
    frame = diplomacy.yearly_agreement(load("unga_roll_calls"))
    frame["pct"] = 100 * frame["same_vote"] / frame["both_voted"]
    return frame


def test_shipped_yearly_counts_match_the_roll_calls(real_data: None) -> None:
    """unga_china_agreement is what the build computed from unga_roll_calls, row for row."""
    shipped = load("unga_china_agreement")
    recomputed = diplomacy.yearly_agreement(load("unga_roll_calls"))
    assert _counts(shipped) == _counts(recomputed)
    assert (shipped["same_vote"] <= shipped["both_voted"]).all()


def test_lesson_groupby_gives_the_module_counts(real_data: None) -> None:
    """The visible cell of Lesson 6 and yearly_agreement agree on every year and partner."""
    rollcalls = load("unga_roll_calls")
    rollcalls["year"] = rollcalls["date"].str[:4].astype(int)
    parts = []
    for partner, column in [("Russia", "russia"), ("North Korea", "north_korea"), ("United States", "united_states")]:
        both = rollcalls.dropna(subset=["china", column])
        same = both["china"] == both[column]
        counts = same.groupby(both["year"]).agg(both_voted="size", same_vote="sum").reset_index()
        parts.append(counts.assign(partner=partner))
    assert _counts(pd.concat(parts, ignore_index=True)) == _counts(diplomacy.yearly_agreement(load("unga_roll_calls")))


def test_figures_quoted_in_lesson_6_on_five_decades(real_data: None) -> None:
    rollcalls = load("unga_roll_calls")
    assert len(rollcalls) == 4959
    assert (rollcalls["date"].min(), rollcalls["date"].max()) == ("1971-11-03", "2020-01-14")
    yearly = _shipped_yearly()
    pct = yearly.pivot(index="year", columns="partner", values="pct")
    cold_war = pct.loc[1971:1990]
    assert (round(cold_war["Russia"].min()), round(cold_war["Russia"].max())) == (65, 93)
    assert (round(cold_war["United States"].min()), round(cold_war["United States"].max())) == (10, 36)
    # In no year did China vote more often with the United States than with Russia.
    assert (pct["Russia"] > pct["United States"]).all()
    # The dip of the early 1990s and the return above 80% by 2006.
    assert pct.loc[1991:2005, "Russia"].idxmin() == 1993 and round(pct.loc[1993, "Russia"]) == 39
    assert pct.loc[1991:2005, "Russia"].max() <= 80 < pct.loc[2006, "Russia"]
    counts = yearly.set_index(["year", "partner"])
    assert tuple(counts.loc[(2019, "Russia"), ["same_vote", "both_voted"]]) == (68, 86)
    assert tuple(counts.loc[(2019, "North Korea"), ["same_vote", "both_voted"]]) == (66, 79)
    nk = yearly[(yearly["partner"] == "North Korea") & yearly["year"].between(1991, 2019)]
    assert round(100 * nk["same_vote"].sum() / nk["both_voted"].sum()) == 87
    # Only January 2020 falls below the chart's ten-vote threshold.
    assert sorted(set(yearly.loc[yearly["both_voted"] < 10, "year"])) == [2020]
