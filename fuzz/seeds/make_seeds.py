#!/usr/bin/env python3
"""Writes the fuzz targets' seed inputs and dictionaries from the repository's own examples and
test data: fuzz/seeds/<target>/* and fuzz/dict/<target>.dict.

Each seed is a real file with the target's control bytes in front (see the doc comment at the
top of each fuzz_targets/<target>.rs). Run from anywhere: python3 fuzz/seeds/make_seeds.py [COLLABORATIVE_FOLDER]; the folder
seeds include the collaborative example's folder (`cargo run --release --example collaborative`
writes it to target/qic-examples/collaborative) when it is there.
"""

import json
import re
import shutil
import sys
import tomllib
from pathlib import Path

FUZZ = Path(__file__).resolve().parent.parent
REPO = FUZZ.parent
SEEDS = FUZZ / "seeds"
DICTS = FUZZ / "dict"

CHART_TYPES = ["run", "i", "mr", "xbar", "s", "t", "p", "pp", "c", "u", "up", "g"]
# fuzz/src/lib.rs NUMBERS
NUMBERS = [0.0, 1.0, -1.0, 0.5, 100.0, -0.0, 1e-320, 2.2250738585072014e-308, 1e300, -1e300,
           1.7976931348623157e308, 2.220446049250313e-16, 3.0, 1e-9, 12.5, 1e15]
PRESETS = ["pursuing-equity-action-community-2022", "pursuing-equity-learning-network-2022",
           "improving-population-health-2020", "action-learning-collaborative"]


def write(target, name, data):
    folder = SEEDS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


def number_index(value):
    return NUMBERS.index(value) if value in NUMBERS else None


def chart_seeds():
    for path in sorted((REPO / "crates/qic-spc/tests/fixtures").glob("*.json")):
        fixture = json.loads(path.read_text())
        data, options = fixture["input"], fixture["options"]
        chart = CHART_TYPES.index(data["chart"])
        xs = data.get("x") or list(range(1, len(data["y"]) + 1))
        ns = data.get("n")
        lines = ["x,y,n" if ns else "x,y"]
        for i, (x, y) in enumerate(zip(xs, data["y"])):
            y = "" if y is None else repr(y)
            if ns:
                n = "" if ns[i] is None else repr(ns[i])
                lines.append(f"{x},{y},{n}")
            else:
                lines.append(f"{x},{y}")
        flags = 0
        if options.get("screened_mr") is False:
            flags |= 1 << 4
        if options.get("negative_limits") is False:
            flags |= 1 << 5
        centre = number_index(options.get("centre"))
        if centre is not None:
            flags |= 1 << 6
        parts = (options.get("parts") or []) + [0, 0]
        exclude = (options.get("exclude") or [0])[0]
        multiply = number_index(options.get("multiply")) or 0
        control = bytes([chart, flags, min(options.get("freeze") or 0, 255), min(parts[0], 255),
                         min(parts[1], 255), min(exclude, 255), multiply, 0, centre or 0, 0, 0])
        write("chart", path.stem + ".csv", control + ("\n".join(lines) + "\n").encode())
    # The same series under each rule set and with the SVG options on.
    base = "x,y\n" + "".join(f"2024-{m:02}-01,{v}\n" for m, v in
                             zip(range(1, 13), [5, 7, 6, 9, 4, 8, 12, 13, 14, 15, 16, 11]))
    for rules in range(3):
        write("chart", f"rules-{rules}.csv",
              bytes([1, rules | 0b0100 | 0b1000_0000, 6, 0, 0, 0, 0, 0x57, 0, 4, 0b111]) +
              base.encode())


def equity_seeds():
    # issue 10's reproducer: a hidden cell that published totals gave away.
    leak = ("month,site,num,den\n2024-01,S0,7,8\n2024-02,S0,3,13\n2024-02,S2,8,9\n"
            "2024-03,S0,0,11\n2024-03,S1,10,12\n2024-03,S2,5,11\n2024-03,S3,3,11\n"
            "2024-04,S0,27,57\n2024-04,S1,8,8\n2024-04,S2,17,19\n2024-04,S3,2,52\n")
    write("equity", "leak.csv", bytes([0b1, 0b1000, 0, 0, 2]) + leak.encode())
    write("equity", "leak-threshold-3.csv", bytes([0b1, 0b1000, 3, 1, 3]) + leak.encode())
    races = ["2106-3", "2054-5", "Asian", "", "ASKU", "2106-3;2054-5", "Q9", "White", "R05"]
    eths = ["2186-5", "2135-2", "UNK", "", "Hispanic"]
    langs = ["en", "es", "en-US", "zh-Hant", "", "xx"]
    rows = ["month,num,den,race,ethnicity,language,site,note"]
    for i in range(90):
        den = int(i % 13 != 0)
        num = den * int(i % 3 == 0)
        note = '"two\nlines"' if i % 17 == 0 else "ok"
        rows.append(f"2024-{i % 6 + 1:02}-{i % 28 + 1:02},{num},{den},\"{races[i % 9]}\","
                    f"{eths[i % 5]},{langs[i % 6]},S{i % 4},{note}")
    extract = ("\n".join(rows) + "\n").encode()
    write("equity", "extract.csv", bytes([0b1, 0b0011, 0, 0, 1]) + extract)
    write("equity", "extract-each-selected.csv", bytes([0b11, 0b0101, 0, 1, 2]) + extract)
    write("equity", "extract-by-month.csv",
          bytes([0b0, 0b1111, 5, 2, 0]) + extract.replace(b"-01,", b","))
    mapping_csv = b"dimension,raw,category\nrace,R05,white\nrace,Q9,declined\nethnicity,E1,hispanic_or_latino\n"
    write("equity", "extract-mapping.csv", bytes([0b1, 0b0011, 0, 0, 1]) + extract + b"\0" + mapping_csv)
    mapping_toml = b'[race]\nR05 = "white"\nQ9 = "declined"\n\n[ethnicity]\nE1 = "hispanic_or_latino"\n'
    write("equity", "extract-mapping-toml.csv",
          bytes([0b10001, 0b0011, 0, 0, 1]) + extract + b"\0" + mapping_toml)


def eligibility_seeds():
    data = REPO / "examples/data"
    app_json = (data / "application-complete.json").read_bytes()
    app_toml = (data / "application-complete.toml").read_bytes()
    for i, preset in enumerate(PRESETS):
        write("eligibility", f"complete-{preset}.json", bytes([i, 0, 0x22, 0x0b]) + app_json)
    write("eligibility", "complete.toml", bytes([0, 1, 0x22, 0x0b]) + app_toml)
    write("eligibility", "applications.jsonl", bytes([0, 0, 0x22, 0x0b]) + (data / "applications.jsonl").read_bytes())
    readiness = json.loads((data / "readiness-report.json").read_text())
    app = json.loads(app_json)
    app.setdefault("data", {})["report"] = readiness
    write("eligibility", "with-readiness.json", bytes([0, 0, 0x22, 0x0b]) + json.dumps(app).encode())
    for preset in PRESETS:
        rules = (REPO / f"crates/qic-eligibility/presets/{preset}.toml").read_bytes()
        write("eligibility", f"rules-{preset}.json", bytes([4, 0, 0x22, 0x0b]) + app_json + b"\0" + rules)
    rules = tomllib.loads((REPO / f"crates/qic-eligibility/presets/{PRESETS[0]}.toml").read_text())
    write("eligibility", "rules-json.json",
          bytes([4, 0, 0x22, 0x0b]) + app_json + b"\0" + json.dumps(rules, default=str).encode())


def program_seeds():
    program = REPO / "examples/programs/hypertension-collaborative.toml"
    write("program", "hypertension-collaborative.toml", bytes([1]) + program.read_bytes())
    write("program", "hypertension-collaborative-sniffed.toml", bytes([0]) + program.read_bytes())
    as_json = json.dumps(tomllib.loads(program.read_text()), default=str, indent=1)
    write("program", "hypertension-collaborative.json", bytes([2]) + as_json.encode())
    folder_program = REPO / "crates/qic-pdsa/tests/fixtures/collaborative/program.toml"
    write("program", "folder-program.toml", bytes([1]) + folder_program.read_bytes())
    pathway = ('name = "Our path"\nsource = "Guide, page 4"\n\n[[steps]]\nnumber = 1\n'
               'title = "Build will"\nphase = "building_will_and_prioritizing"\n')
    write("program", "pathway.toml", bytes([3]) + pathway.encode())


def cycles_seeds():
    cycles = REPO / "crates/qic-pdsa/tests/fixtures/collaborative/teams/lakeside/cycles.toml"
    text = cycles.read_text()
    write("cycles", "lakeside.toml", bytes([0b10, 0x1c, 0x0e, 12]) + text.encode())
    write("cycles", "lakeside-no-window.toml", bytes([0, 0, 0, 0]) + text.encode())
    write("cycles", "lakeside.json",
          bytes([0b01, 0, 0, 0]) + json.dumps(tomllib.loads(text), default=str, indent=1).encode())
    readme = (REPO / "README.md").read_text()
    match = re.search(r'toml::from_str\(r#"(.*?)"#\)', readme, re.S)
    if match:
        write("cycles", "readme.toml", bytes([0, 0, 0, 0]) + match.group(1).encode())


def folder_text(root):
    out = []
    for path in sorted(root.rglob("*")):
        if path.is_file():
            out.append(f"=== {path.relative_to(root).as_posix()}\n")
            text = path.read_text()
            out.append(text if text.endswith("\n") else text + "\n")
    return "".join(out).encode()


def folder_seeds(example):
    root = REPO / "crates/qic-pdsa/tests/fixtures/collaborative"
    write("folder", "fixture.txt", folder_text(root))
    # The simulated collaborative's folder, when it has been written: one team with its first
    # six months (the whole folder is 1.6 MB, too large to mutate quickly).
    if example is None or not (example / "collaborative.toml").exists():
        return
    team = sorted((example / "teams").iterdir())[0]
    out = [folder_text_of(example, [example / "collaborative.toml", example / "program.toml"])]
    for path in sorted(team.rglob("*")):
        if not path.is_file():
            continue
        if path.parent.name == "reports" and path.stem > "2023-06":
            continue
        lines = path.read_text().splitlines(keepends=True)
        if path.suffix == ".csv":
            lines = lines[:1] + [l for l in lines[1:] if l[:7] <= "2023-06"][:120]
        out.append(f"=== {path.relative_to(example).as_posix()}\n" + "".join(lines))
    write("folder", "collaborative-example.txt", "".join(out).encode())


def folder_text_of(root, paths):
    return "".join(f"=== {p.relative_to(root).as_posix()}\n" + p.read_text() for p in paths)


# Dictionaries: the words of each format (keys, enum values, headers) and numbers that matter.
def words_of(value, out):
    if isinstance(value, dict):
        for key, item in value.items():
            out.add(key)
            words_of(item, out)
    elif isinstance(value, list):
        for item in value:
            words_of(item, out)
    elif isinstance(value, str) and re.fullmatch(r"[a-z][a-z0-9_./-]{1,40}", value):
        out.add(value)


def toml_words(paths):
    out = set()
    for path in paths:
        try:
            words_of(tomllib.loads(Path(path).read_text()), out)
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            pass
    return out


COMMON = ["NA", "na", "-", "1e-320", "2e-320", "-0", "1e308", "inf", "NaN", "0", "2024-02-29",
          "2024-13-01", "2023-12-31", "\r\n", "\"", ",,", "\ufeff"]


def write_dict(target, words):
    DICTS.mkdir(exist_ok=True)
    lines = []
    for word in sorted(set(words) | set(COMMON)):
        escaped = "".join(c if 0x20 <= ord(c) < 0x7f and c not in '"\\' else
                          "".join(f"\\x{b:02x}" for b in c.encode()) for c in word)
        lines.append(f'"{escaped}"')
    (DICTS / f"{target}.dict").write_text("\n".join(lines) + "\n")


def dictionaries():
    fixture = REPO / "crates/qic-pdsa/tests/fixtures/collaborative"
    write_dict("chart", ["x,y", "x,y,n", "2024-01-01", "label", "1.5"])
    write_dict("equity", ["month", "num", "den", "race", "ethnicity", "language", "site",
                          "dimension,raw,category", "race_ethnicity", "declined", "unknown",
                          "multiracial", "white", "2106-3", "2054-5", "2186-5", "2135-2",
                          "ASKU", "UNK", ";", "[race]", "[ethnicity]", "2024-01"])
    app = json.loads((REPO / "examples/data/application-complete.json").read_text())
    schema = json.loads((REPO / "docs/application.schema.json").read_text())
    words = set()
    words_of(app, words)
    words_of(schema, words)
    words |= toml_words((REPO / "crates/qic-eligibility/presets").glob("*.toml"))
    write_dict("eligibility", words | {"[[rules]]", "true", "false", "null", "{", "}", "[", "]"})
    words = toml_words([REPO / "examples/programs/hypertension-collaborative.toml",
                        fixture / "program.toml"])
    write_dict("program", words | {"[[cohorts]]", "true", "false", "second", "tuesday"})
    words = toml_words([fixture / "teams/lakeside/cycles.toml"])
    write_dict("cycles", words | {"[[cycles]]", "[[change_ideas]]", "follows", "yes", "partly",
                                  "no", "adopt", "adapt", "abandon"})
    words = toml_words(fixture.rglob("*.toml"))
    write_dict("folder", words | {"=== ", "collaborative.toml", "program.toml", "teams/",
                                  "team.toml", "cycles.toml", "reports/", "data/", "strata/",
                                  "month,numerator,denominator", ".csv", ".json"})


def main():
    # The collaborative example's folder: argument 1, else the repository's target/.
    example = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "target/qic-examples/collaborative"
    for target in ["chart", "equity", "eligibility", "program", "cycles", "folder"]:
        shutil.rmtree(SEEDS / target, ignore_errors=True)
    chart_seeds()
    equity_seeds()
    eligibility_seeds()
    program_seeds()
    cycles_seeds()
    folder_seeds(example)
    dictionaries()


if __name__ == "__main__":
    main()
