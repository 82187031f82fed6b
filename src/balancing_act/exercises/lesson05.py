"""Checks for the Lesson 5 exercise: military cooperation and symbolism.

Expected answers are computed from the course data (``military_events``) through the
package the first time a learner checks an answer; importing this module reads nothing.
"""

from __future__ import annotations

import pandas as pd

from balancing_act.checks import (
    ExerciseSet,
    Question,
    expect_chart_data,
    expect_equal,
    expect_frame,
)
from balancing_act.data import load
from balancing_act.topics import military


def _events() -> pd.DataFrame:
    return military.events_table(load("military_events"))


def _air_patrols() -> int:
    return int((_events()["type"] == "air_patrol").sum())


def _busiest_year() -> int:
    per_year = _events().groupby("year").size()
    return int(per_year.idxmax())


def _commitments() -> pd.DataFrame:
    return military.combat_commitments(load("military_events"))[["date", "name", "participants"]]


def _china_operational() -> int:
    with_china = military.filter_events(_events(), participants=["China"])
    return int((with_china["reference"] == "operational").sum())




ex = ExerciseSet(
    lesson=5,
    questions=[
        Question(
            "q1",
            expect_equal(_air_patrols, describe="the number of joint air (bomber) patrols in the table", success="Right: that is how many joint bomber patrols the table records."),
            hints=[
                "Each joint bomber patrol is one row whose type is 'air_patrol'.",
                "events['type'] == 'air_patrol' gives a column of True and False, one per event.",
                "Adding up True values counts them: (events['type'] == 'air_patrol').sum(), then int(...).",
            ],
            solution='n_air_patrols = int((events["type"] == "air_patrol").sum())',
        ),
        Question(
            "q2",
            expect_equal(_busiest_year, describe="the year with the most events in the table", success="Right: that is the year with the most joint military events in the table."),
            hints=[
                "First count the events in each year, then find the year with the largest count.",
                "events.groupby('year').size() gives one count per year, with the years as the index.",
                "idxmax() returns the index label (here, the year) of the largest value: wrap it in int(...).",
            ],
            solution='busiest_year = int(events.groupby("year").size().idxmax())',
        ),
        Question(
            "q3",
            expect_frame(
                _commitments,
                columns=["date", "name", "participants"],
                sort=["date"],
                describe="the events that carry a combat commitment",
                success="Right: these are the only events in the table that commit anyone to fight.",
            ),
            hints=[
                "Keep only the rows whose combat_commitment column is 'yes'.",
                "A boolean mask selects rows: events[events['combat_commitment'] == 'yes'].",
                "Then select three columns with a list: [['date', 'name', 'participants']].",
            ],
            solution=(
                'commitments = events[events["combat_commitment"] == "yes"][["date", "name", "participants"]]'
            ),
        ),
        Question(
            "q4",
            expect_equal(_china_operational, describe="the number of operational events in which China takes part", success="Right: that is how many of China's joint events go beyond symbolism in the table's terms."),
            hints=[
                "Two conditions: China is among the participants, and the rule says operational "
                "(joint_command is 'yes' or combat_commitment is 'yes').",
                "events['participants'].str.contains('China') marks the events with China; "
                "combine masks with & (and) and | (or), each condition in brackets.",
                "with_china = events['participants'].str.contains('China'); "
                "deep = (events['joint_command'] == 'yes') | (events['combat_commitment'] == 'yes'); "
                "then int((with_china & deep).sum()).",
            ],
            solution=(
                'with_china = events["participants"].str.contains("China")\n'
                'deep = (events["joint_command"] == "yes") | (events["combat_commitment"] == "yes")\n'
                "china_operational = int((with_china & deep).sum())"
            ),
        ),
        Question(
            "q5",
            expect_chart_data(
                _events,
                "bar",
                {"x": "year", "y": "count()", "color": "type"},
                "a bar chart with year on x, the count of events on y and bars coloured by type, with a title and a tooltip",
                require_title=True,
                require_tooltip=True,
                success="Right: the bars count the joint exercises and patrols of each year, by type.",
            ),
            hints=[
                "Start from alt.Chart(events) and draw bars with .mark_bar().",
                "Altair can count rows for you: y='count()' counts the events in each bar.",
                "alt.Chart(events).mark_bar().encode(x='year:O', y='count()', color='type:N', tooltip=['year:O', 'type:N', 'count()'])"
                ".properties(title='...').",
            ],
            solution=(
                "chart = alt.Chart(events).mark_bar().encode(\n"
                '    x=alt.X("year:O", title="Year"),\n'
                '    y=alt.Y("count()", title="Number of events"),\n'
                '    color=alt.Color("type:N", title="Type of event"),\n'
                '    tooltip=["year:O", "type:N", "count()"],\n'
                ").properties(title=\"Joint exercises and patrols per year, by type\")"
            ),
        ),
    ],
    skills={
        "q1": ["pandas.filter"],
        "q2": ["pandas.group"],
        "q3": ["pandas.filter", "pandas.select"],
        "q4": ["pandas.filter"],
        "q5": ["pandas.group", "altair.encoding"],
    },
)
