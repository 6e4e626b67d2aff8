"""Eligibility from Python: the same decisions as `qic eligibility check`, byte for byte."""

import datetime
import json
import pathlib
import sys
import threading
import time

import pytest

import qic
from conftest import AS_OF, EXAMPLES, PRESET

LINES = (EXAMPLES / "applications.jsonl").read_text().splitlines()
# examples/data/README.md: the eight lines judged as of the deadline day.
EXPECTED = [
    "eligible",
    "not_eligible",
    "not_eligible",
    "incomplete",
    "offered_other_cohort",
    "not_eligible",
    "eligible",
    "not_eligible",
]


@pytest.fixture(scope="module")
def rules():
    return qic.RuleSet.preset(PRESET)


def test_the_examples_judge_as_the_command_does_byte_for_byte(rules, run_cli, tmp_path):
    assert len(LINES) == len(EXPECTED)
    for number, (line, outcome) in enumerate(zip(LINES, EXPECTED), start=1):
        path = tmp_path / f"application-{number}.json"
        path.write_text(line)
        expected = run_cli("eligibility", "check", path, "--rules", PRESET, "--as-of", AS_OF,
                           "--format", "json").decode()
        for application in (json.loads(line), line, path):
            decision = rules.evaluate(application, AS_OF)
            assert decision.outcome == outcome, number
            assert decision.to_json() == expected, number
    for name in ("application-complete.json", "application-complete.toml"):
        path = EXAMPLES / name
        expected = run_cli("eligibility", "check", path, "--rules", PRESET, "--as-of", AS_OF,
                           "--format", "json").decode()
        assert rules.evaluate(path, AS_OF).to_json() == expected
        assert rules.evaluate(path.read_text(), AS_OF).to_json() == expected
    report = EXAMPLES / "readiness-report.json"
    expected = run_cli("eligibility", "check", EXAMPLES / "application-complete.toml", "--rules",
                       PRESET, "--as-of", AS_OF, "--readiness", report, "--format", "json")
    decision = rules.evaluate(EXAMPLES / "application-complete.toml", AS_OF, readiness=report)
    assert decision.to_json() == expected.decode()


def test_a_decision_explains_itself(rules):
    decision = rules.evaluate(json.loads(LINES[4]), datetime.date(2022, 10, 21))
    assert decision.outcome == "offered_other_cohort"
    assert decision.offered_cohort == "pursuing-equity-2022/learning-network"
    assert decision.as_of == datetime.date(2022, 10, 21)
    assert decision.ruleset_id == PRESET
    assert decision.line is None
    assert [f.rule for f in decision.findings] == rules.rule_ids
    (sogi,) = decision.failures()
    assert (sogi.rule, sogi.severity, sogi.status, sogi.passed) == ("data.sogi", "redirect", "fail", False)
    assert sogi.path == "$.data.sogi.share_complete"
    assert "18% of records" in sogi.message and sogi.citation
    assert decision.finding("team.size").passed
    assert decision.finding("no.such.rule") is None
    as_dict = decision.to_dict()
    assert as_dict == json.loads(decision.to_json())
    assert as_dict["findings"][0] == decision.findings[0].to_dict()
    assert str(decision).startswith("Eastside Community Hospital: offered another cohort")


def test_the_missing_letter_depends_on_the_day(rules):
    application = json.loads(LINES[3])
    assert rules.evaluate(application, "2022-10-17").outcome == "incomplete"
    assert rules.evaluate(application, "2022-12-05").outcome == "not_eligible"


def test_errors_name_the_line_column_and_field(rules):
    with pytest.raises(qic.ApplicationError) as caught:
        rules.evaluate('{\n  "teem": []\n}', AS_OF)
    assert str(caught.value).startswith("application:2:8: unknown field `teem`")
    assert (caught.value.line, caught.value.column) == (2, 8)

    application = json.loads(LINES[0])
    application["team"][0]["lenses"][1] = "clinicl"
    with pytest.raises(qic.InputError) as caught:
        rules.evaluate(application, AS_OF)
    assert caught.value.field == "$.team[0].lenses[1]"
    assert str(caught.value).startswith("application: $.team[0].lenses[1]: unknown variant")
    assert "unknown variant `clinicl`" in str(caught.value)
    assert isinstance(caught.value, qic.QicError)
    application["team"][0]["nmae"] = "x"
    del application["team"][0]["lenses"]
    with pytest.raises(qic.ApplicationError) as caught:
        rules.evaluate(application, AS_OF)
    assert str(caught.value).startswith("application: $.team[0]: unknown field `nmae`")
    assert caught.value.field == "$.team[0]"

    with pytest.raises(qic.ApplicationError, match=r"application:2:16: \$\.organization: invalid type"):
        rules.evaluate('cohort = "x"\norganization = 3', AS_OF)  # TOML
    with pytest.raises(qic.InputError, match="as_of: expected a date"):
        rules.evaluate(application, "21/10/2022")
    with pytest.raises(FileNotFoundError, match="no-such-file.json"):
        rules.evaluate(pathlib.Path("no-such-file.json"), AS_OF)


def test_rule_sets_come_from_presets_text_and_files(tmp_path, run_cli):
    assert PRESET in qic.RuleSet.presets()
    with pytest.raises(qic.RuleSetError, match="no rule set preset named `nope`"):
        qic.RuleSet.preset("nope")
    toml = run_cli("eligibility", "rules", "action-learning-collaborative", "--format", "toml").decode()
    from_text = qic.RuleSet.from_toml(toml)
    path = tmp_path / "rules.toml"
    path.write_text(toml)
    from_file = qic.RuleSet.from_file(path)
    assert from_text.to_dict() == from_file.to_dict() == qic.RuleSet.preset("action-learning-collaborative").to_dict()
    assert qic.RuleSet.from_json(from_text.to_json()).to_dict() == from_text.to_dict()
    custom = ('id = "x"\nversion = "1"\nname = "X"\nadmits = "x"\n\n[[rules]]\n'
              'rule = "team.size"\nseverity = "required"\ncitation = "c"\nmin = 3\nmax = 7\n')
    assert qic.RuleSet.from_toml(custom).rule_ids == ["team.size"]
    with pytest.raises(qic.RuleSetError) as caught:
        qic.RuleSet.from_toml(custom.replace("max = 7", "maximum = 7"))
    assert "unknown field `maximum`" in str(caught.value)
    assert caught.value.field is not None and caught.value.field.startswith("$.rules[")
    assert "3 to 7" in qic.RuleSet.preset(PRESET).describe()


def test_a_batch_yields_decisions_and_error_records_with_lines(rules, run_cli, tmp_path):
    broken = json.loads(LINES[0])
    broken["teem"] = []
    items = [json.loads(LINES[0]), "not json", broken, LINES[4], 5]
    records = list(rules.batch(items, AS_OF))
    assert [r.line for r in records] == [1, 2, 3, 4, 5]
    assert isinstance(records[0], qic.Decision) and records[0].outcome == "eligible"
    assert isinstance(records[1], qic.BatchError) and records[1].column == 2
    assert records[2].error.startswith("unknown field `teem`, expected one of")
    assert records[3].outcome == "offered_other_cohort"
    assert isinstance(records[4], qic.BatchError)
    assert records[1].to_dict() == {"line": 2, "error": records[1].error, "column": 2}

    # A JSON Lines file gives the records `qic eligibility batch` writes.
    path = tmp_path / "applications.jsonl"
    path.write_text("\n".join(LINES[:3] + ["", "{\"cohort\": 1}"] + LINES[3:]) + "\n")
    out = tmp_path / "decisions.jsonl"
    run_cli("eligibility", "batch", path, "--rules", PRESET, "--as-of", AS_OF, "--output", out)
    expected = [json.loads(line) for line in out.read_text().splitlines()]
    for source in (path, str(path)):
        got = [
            {"line": r.line, "decision": r.to_dict()} if isinstance(r, qic.Decision) else r.to_dict()
            for r in rules.batch(source, AS_OF)
        ]
        assert got == expected
    with pytest.raises(FileNotFoundError):
        list(rules.batch(tmp_path / "missing.jsonl", AS_OF))


def test_batches_are_streamed_in_chunks(rules):
    count = 1000
    seen = []

    def applications():
        for i in range(count):
            seen.append(i)
            yield json.loads(LINES[i % len(LINES)])

    batch = rules.batch(applications(), AS_OF)
    first = next(batch)
    assert first.line == 1
    assert len(seen) < count  # only the first chunk was read
    rest = list(batch)
    assert len(rest) == count - 1 and rest[-1].line == count


def test_the_schema_is_the_checked_in_one(root):
    assert qic.schema() == json.loads((root / "docs/application.schema.json").read_text())


def longest_pause_of_another_thread(work):
    """Runs `work` while another thread records timestamps; returns the longest gap between
    them during the work as a share of its duration (near 1 when `work` holds the interpreter
    throughout, small when it releases it)."""
    stamps, stop = [], threading.Event()

    def tick():
        while not stop.is_set():
            stamps.append(time.perf_counter())

    ticker = threading.Thread(target=tick)
    ticker.start()
    time.sleep(0.05)
    start = time.perf_counter()
    work()
    end = time.perf_counter()
    stop.set()
    ticker.join()
    inside = [start] + [t for t in stamps if start <= t <= end] + [end]
    longest = max(b - a for a, b in zip(inside, inside[1:]))
    return longest / (end - start)


def test_a_batch_releases_the_interpreter(rules, tmp_path):
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(LINES * 2000) + "\n")
    old = sys.getswitchinterval()
    sys.setswitchinterval(0.001)
    try:
        share = longest_pause_of_another_thread(lambda: sum(1 for _ in rules.batch(path, AS_OF)))
    finally:
        sys.setswitchinterval(old)
    assert share < 0.5, share
