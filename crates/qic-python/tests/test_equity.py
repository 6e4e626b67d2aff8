"""Equity from Python: the command's tables, from a CSV path or a data frame's columns."""

import json
import random

import pytest

import qic

RACES = ["2106-3", "2054-5", "White", "Black", "2028-9", "ASKU", ""]
WEIGHTS = [30, 20, 20, 15, 2, 5, 8]  # few Asian patients (2028-9): small cells


@pytest.fixture(scope="module")
def extract(tmp_path_factory):
    """A small patient-level extract: month, screened flag, race; one malformed nothing."""
    rng = random.Random(7)
    rows = []
    for month in range(1, 7):
        for _ in range(300):
            race = rng.choices(RACES, WEIGHTS)[0]
            screened = int(rng.random() < (0.7 if race in ("2106-3", "White") else 0.5))
            rows.append((f"2024-{month:02d}-{rng.randint(1, 28):02d}", screened, race))
    rows.append(("", 1, "White"))  # skipped: no period
    path = tmp_path_factory.mktemp("equity") / "extract.csv"
    path.write_text("visit_date,screened,race\n" + "".join(f"{d},{s},{r}\n" for d, s, r in rows))
    return path, rows


def test_a_table_is_the_command_s_table(extract, run_cli):
    path, _ = extract
    table = qic.equity.stratify(path, period="visit_date", numerator="screened", by="race")
    expected = run_cli("equity", "stratify", path, "--period", "visit_date", "--numerator",
                       "screened", "--by", "race", "--format", "json").decode()
    assert table.to_json() == expected
    assert table.to_dict() == json.loads(expected)
    csv = run_cli("equity", "stratify", path, "--period", "visit_date", "--numerator",
                  "screened", "--by", "race", "--format", "csv").decode()
    assert table.to_csv() == csv
    assert table.rows["skipped"][0]["reason"] == "missing_period"
    assert any(c["estimate"]["suppressed"] for c in table.cells)  # Asian cells are small


def test_disparity_is_the_command_s(extract, run_cli):
    path, _ = extract
    args = dict(period="visit_date", numerator="screened", by={"race": "race"})
    report = qic.equity.disparity(path, reference="White", direction="higher_is_better", **args)
    expected = run_cli("equity", "disparity", path, "--period", "visit_date", "--numerator",
                       "screened", "--by", "race", "--reference", "White", "--direction",
                       "higher-is-better", "--format", "json").decode()
    assert report.to_json() == expected
    table = qic.equity.stratify(path, **args)
    assert table.disparity("white", "higher_is_better").to_json() == expected
    csv = run_cli("equity", "disparity", path, "--period", "visit_date", "--numerator",
                  "screened", "--by", "race", "--reference", "White", "--direction",
                  "higher-is-better", "--format", "csv").decode()
    assert report.to_csv() == csv
    with pytest.raises(qic.DataError, match="one level per stratifier"):
        table.disparity("white/asian", "higher_is_better")


def test_frames_give_the_same_table_as_the_file(extract):
    path, rows = extract
    expected = qic.equity.stratify(path, period="visit_date", numerator="screened", by="race")
    columns = {
        "visit_date": [r[0] or None for r in rows],
        "screened": [r[1] for r in rows],
        "race": [r[2] or None for r in rows],
    }
    from_dict = qic.equity.stratify(columns, period="visit_date", numerator="screened", by="race")
    assert from_dict.to_json() == expected.to_json()
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame(columns)
    frame["visit_date"] = pandas.to_datetime(frame["visit_date"])  # dates as Timestamps, NaT
    from_pandas = qic.equity.stratify(frame, period="visit_date", numerator="screened", by="race")
    assert from_pandas.to_json() == expected.to_json()
    assert list(from_pandas.to_pandas().columns)[:2] == ["period", "race"]


def test_polars_frames_too(extract):
    polars = pytest.importorskip("polars")
    path, rows = extract
    expected = qic.equity.stratify(path, period="visit_date", numerator="screened", by="race")
    frame = polars.DataFrame({
        "visit_date": [r[0] or None for r in rows],
        "screened": [r[1] for r in rows],
        "race": [r[2] or None for r in rows],
    })
    got = qic.equity.stratify(frame, period="visit_date", numerator="screened", by="race")
    assert got.to_json() == expected.to_json()


def test_suppression_is_on_unless_turned_off_for_internal_use(extract):
    path, _ = extract
    args = dict(period="visit_date", numerator="screened", by="race")
    with pytest.warns(UserWarning, match="must not be shared"):
        internal = qic.equity.stratify(path, no_suppression_internal_use_only=True, **args)
    assert not any(c["estimate"]["suppressed"] for c in internal.cells)
    stricter = qic.equity.stratify(path, suppress_up_to=30, **args)
    assert sum(c["estimate"]["suppressed"] for c in stricter.cells) >= sum(
        c["estimate"]["suppressed"] for c in qic.equity.stratify(path, **args).cells)


def test_errors_name_the_line_and_column_never_the_value(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("visit_date,screened,race\n2024-01-03,1,White\n2024-13-09,1,White\n")
    with pytest.raises(qic.DataError) as caught:
        qic.equity.stratify(path, period="visit_date", numerator="screened", by="race")
    assert (caught.value.line, caught.value.column, caught.value.field) == (3, 1, "visit_date")
    assert "2024-13-09" not in str(caught.value)
    frame = {"visit_date": ["2024-01-03", "2024-13-09"], "screened": [1, 1], "race": ["White"] * 2}
    with pytest.raises(qic.DataError, match="data frame: line 3, column 1"):
        qic.equity.stratify(frame, period="visit_date", numerator="screened", by="race")
    with pytest.raises(qic.DataError, match="column `site` is not in the header"):
        qic.equity.stratify(frame, period="visit_date", numerator="screened", by_column=["site"])
    with pytest.raises(qic.DataError, match="at least one stratifier"):
        qic.equity.stratify(frame, period="visit_date", numerator="screened")
    with pytest.raises(qic.DataError, match="by_column"):
        qic.equity.stratify(frame, period="visit_date", numerator="screened", by="site")
    with pytest.raises(FileNotFoundError):
        qic.equity.stratify(tmp_path / "none.csv", period="d", numerator="n", by="race")


def test_local_codes_come_from_mapping_files(tmp_path):
    path = tmp_path / "local.csv"
    path.write_text("visit_date,screened,race\n" + "2024-01-03,1,R-07\n" * 20)
    mapping = tmp_path / "map.csv"
    mapping.write_text("dimension,raw,category\nrace,R-07,asian\n")
    table = qic.equity.stratify(path, period="visit_date", numerator="screened", by="race", maps=[mapping])
    assert [c["stratum"] for c in table.cells] == [["asian"]]
