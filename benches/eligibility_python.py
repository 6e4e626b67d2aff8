"""Judging 100,000 applications from Python (dicts in, decisions out) against `qic eligibility
batch` on the same applications as JSON Lines, in one run. Run it with
benches/eligibility_python.sh, which builds both in release mode first.

    python benches/eligibility_python.py QIC_BINARY [COUNT]

Prints each side's best time of 5 runs and the ratio; exits 1 when the ratio exceeds 2 (the
issue's goal).
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import qic

PRESET = "pursuing-equity-action-community-2022"
AS_OF = "2022-10-21"
RUNS = 5


def applications(count):
    """COUNT applications: the eight examples in turn, each organization renamed."""
    root = Path(__file__).resolve().parent.parent
    examples = [
        json.loads(line)
        for line in (root / "examples/data/applications.jsonl").read_text().splitlines()
    ]
    out = []
    for i in range(count):
        app = json.loads(json.dumps(examples[i % len(examples)]))
        app["organization"]["name"] = f"{app['organization']['name']} {i}"
        out.append(app)
    return out


def best(run):
    """The fastest of RUNS runs of `run`; what it returns is dropped outside the timing."""
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
        del result
    return min(times)


def main():
    qic_binary = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    dicts = applications(count)
    rules = qic.RuleSet.preset(PRESET)
    with tempfile.TemporaryDirectory() as tmp:
        jsonl = Path(tmp) / "applications.jsonl"
        jsonl.write_text("".join(json.dumps(a) + "\n" for a in dicts))

        def command():
            subprocess.run(
                [qic_binary, "eligibility", "batch", str(jsonl), "--rules", PRESET,
                 "--as-of", AS_OF],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
            )

        def python_batch():
            return list(rules.batch(dicts, AS_OF))

        def python_evaluate():
            return [rules.evaluate(a, AS_OF) for a in dicts]

        decisions = python_batch()
        assert len(decisions) == count and all(isinstance(d, qic.Decision) for d in decisions)
        assert [d.to_json() for d in decisions[:8]] == [
            d.to_json() for d in python_evaluate()[:8]
        ]
        del decisions
        cli_seconds = best(command)
        batch_seconds = best(python_batch)
        evaluate_seconds = best(python_evaluate)

    load = os.getloadavg()[0]
    print(f"{count} applications, best of {RUNS}, {os.cpu_count()} cores, load {load:.2f}")
    print(f"  qic eligibility batch (JSONL in, JSONL out):  {cli_seconds:.3f} s")
    print(f"  Python rules.batch(dicts):                     {batch_seconds:.3f} s"
          f"  ratio {batch_seconds / cli_seconds:.2f}x")
    print(f"  Python [rules.evaluate(d) for d in dicts]:     {evaluate_seconds:.3f} s"
          f"  ratio {evaluate_seconds / cli_seconds:.2f}x")
    ratio = batch_seconds / cli_seconds
    if ratio > 2.0:
        print(f"FAIL: Python batch takes {ratio:.2f}x the command's time (goal: at most 2x)")
        sys.exit(1)


if __name__ == "__main__":
    main()
