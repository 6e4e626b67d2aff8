"""Charts from Python: the JSON of `qic chart`, errors that name the row and field."""

import datetime
import json
import math
import sys

import pytest

import qic
from test_eligibility import longest_pause_of_another_thread

DEATHS = [3, 5, 2, 4, 6, 3, 1, 2, 2, 1, 0, 1]
CASES = [40, 52, 38, 45, 60, 41, 39, 44, 50, 42, 37, 48]


def test_a_chart_is_the_command_s_chart(run_cli, tmp_path):
    months = [datetime.date(2024, m, 1) for m in range(1, 13)]
    chart = qic.spc.chart("p", DEATHS, n=CASES, x=months, freeze=6, rules="ihi", direction="decrease")
    csv = tmp_path / "deaths.csv"
    csv.write_text("x,y,n\n" + "".join(f"{m.isoformat()},{d},{c}\n" for m, d, c in zip(months, DEATHS, CASES)))
    expected = json.loads(run_cli("chart", "--chart", "p", "--input", csv, "--freeze", "6",
                                  "--rules", "ihi", "--direction", "down", "--format", "json"))
    assert chart.to_dict() == expected
    assert json.loads(chart.to_json()) == expected
    assert chart.points == expected["points"] and chart.summary == expected["summary"]
    assert chart.kind == "p" and len(chart) == 12
    # Pooled over the six baseline months.
    assert math.isclose(chart.summary[0]["cl"], 23 / 276)


def test_keys_values_and_options():
    chart = qic.spc.chart("i", [4.0, None, 5.0, float("nan"), 6.0, 5.0], part=[3], exclude=[2])
    assert len(chart) == 6 and chart.points[1]["y"] is None
    assert [p["part"] for p in chart.points] == [1, 1, 1, 2, 2, 2]
    labels = qic.spc.chart("c", [3, 4, 5], x=["north", "south", "east"])
    assert [p["x"] for p in labels.points] == ["east", "north", "south"]  # sorted by label
    rows_without_key = qic.spc.chart("c", [3, 4, 5], x=[1, None, 2])
    assert len(rows_without_key) == 2
    same_key = qic.spc.chart("xbar", [1.0, 3.0, 5.0, 7.0], x=[1, 1, 2, 2])
    assert [p["y"] for p in same_key.points] == [2.0, 6.0]
    assert qic.spc.chart("c", DEATHS, rules="anhoej").to_dict() == qic.spc.chart("c", DEATHS).to_dict()
    assert qic.spc.chart("c", DEATHS, multiply=100).summary[0]["cl"] == pytest.approx(100 * sum(DEATHS) / 12)
    assert "mdc" in qic.spc.chart("i", DEATHS, rules="mdc", target=2, direction="decrease").to_json()


def test_errors_name_the_row_and_field():
    with pytest.raises(qic.ChartError) as caught:
        qic.spc.chart("p", [3, 9], n=[5, 4])
    assert (caught.value.row, caught.value.field) == (2, "y")
    assert "row 2, y: the numerator is larger than the denominator" in str(caught.value)
    with pytest.raises(qic.ChartError, match="n has 1 values but y has 2"):
        qic.spc.chart("p", [1, 2], n=[3])
    with pytest.raises(qic.ChartError, match="needs denominators"):
        qic.spc.chart("u", [1, 2])
    with pytest.raises(qic.ChartError, match="unknown chart type"):
        qic.spc.chart("q", [1, 2])
    with pytest.raises(qic.ChartError, match="unknown rule set"):
        qic.spc.chart("c", [1, 2], rules="westgard")
    with pytest.raises(qic.ChartError, match="row 2, x"):
        qic.spc.chart("c", [1, 2], x=[1, object()])
    with pytest.raises(qic.InputError, match="direction"):
        qic.spc.chart("c", [1, 2], direction="sideways")
    with pytest.raises(TypeError):
        qic.spc.chart("c", "123")


def test_svg_and_pandas():
    chart = qic.spc.chart("p", DEATHS, n=CASES, freeze=6)
    svg = chart.to_svg(title="Deaths")
    assert svg.startswith("<svg") and "Deaths" in svg
    pandas = pytest.importorskip("pandas")
    frame = chart.to_pandas()
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame["y"]) == [p["y"] for p in chart.points]


def test_a_chart_releases_the_interpreter():
    y = [float(i % 17) for i in range(2_000_000)]
    old = sys.getswitchinterval()
    sys.setswitchinterval(0.001)
    try:
        # Reading the list needs the interpreter; computing does not, and takes most of the time
        # with many parts.
        parts = list(range(1000, 2_000_000, 1000))
        share = longest_pause_of_another_thread(lambda: qic.spc.chart("i", y, part=parts))
    finally:
        sys.setswitchinterval(old)
    assert share < 0.9, share
