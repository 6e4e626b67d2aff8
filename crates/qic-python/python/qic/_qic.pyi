"""Type stubs of the native module qic._qic (built from crates/qic-python/src)."""

import datetime
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Literal

__version__: str

Outcome = Literal["eligible", "offered_other_cohort", "incomplete", "not_eligible"]
Severity = Literal["required", "redirect", "recommended"]
Status = Literal["pass", "fail", "warn", "not_applicable"]
DateLike = datetime.date | str
PathLike = str | os.PathLike[str]

# Errors

class QicError(Exception):
    """The base of every error qic raises (besides OSError for files that cannot be read)."""

class InputError(QicError):
    """Input that cannot be read or used. The message names the place; so do the attributes
    (None where they do not apply)."""

    source: str | None
    """The file or other source: a path, "application", "rule set", "data frame"."""
    line: int | None
    """The 1-based line."""
    column: int | None
    """The 1-based column."""
    field: str | None
    """The field, column or option at fault, e.g. "$.team[0].lenses[1]", "$.rules[2]", "y"."""
    row: int | None
    """The 1-based row of chart data."""

class ApplicationError(InputError):
    """An application that cannot be read: bad syntax, or a misspelt, missing or invalid field."""

class RuleSetError(InputError):
    """A rule set that cannot be read or used, or an unknown preset."""

class ChartError(InputError):
    """Chart input that cannot be used: a value this chart type refuses, columns of different
    lengths, an option out of range."""

class DataError(InputError):
    """An extract or its settings cannot be used: a missing column, a malformed date or count
    (named by line and column, never by value), a bad mapping file or setting."""

# Eligibility

class RuleSet:
    """Who may join a cohort: typed rules, each with a stable id, a severity and a citation."""

    @staticmethod
    def preset(name: str) -> RuleSet:
        """A built-in rule set, e.g. "pursuing-equity-action-community-2022".

        Raises RuleSetError for an unknown name (the message lists the presets)."""
    @staticmethod
    def presets() -> list[str]:
        """The names of the built-in rule sets."""
    @staticmethod
    def from_toml(text: str) -> RuleSet:
        """A rule set from the text of a TOML rule set file.

        Raises RuleSetError naming the line, column, rule and field at fault."""
    @staticmethod
    def from_json(text: str) -> RuleSet:
        """A rule set from JSON text (the same fields as the TOML file)."""
    @staticmethod
    def from_file(path: PathLike) -> RuleSet:
        """A rule set file: TOML, or JSON when its name ends in .json."""
    @property
    def id(self) -> str:
        """The rule set's id."""
    @property
    def version(self) -> str:
        """Its version."""
    @property
    def name(self) -> str:
        """The name of what it admits to, e.g. "the Pursuing Equity Action Community"."""
    @property
    def admits(self) -> str:
        """The cohort it admits to, e.g. "pursuing-equity-2022/action-community"."""
    @property
    def deadline(self) -> datetime.date | None:
        """The application deadline, if a rule sets one."""
    @property
    def rule_ids(self) -> list[str]:
        """The ids of its rules, in order."""
    def describe(self) -> str:
        """The rule set in words."""
    def to_toml(self) -> str:
        """The rule set as a TOML file."""
    def to_dict(self) -> dict[str, Any]:
        """The rule set as plain Python values (its JSON shape)."""
    def to_json(self) -> str:
        """The rule set as indented JSON."""
    def evaluate(
        self,
        application: Mapping[str, Any] | str | bytes | os.PathLike[str],
        as_of: DateLike,
        *,
        readiness: PathLike | None = None,
    ) -> Decision:
        """Judges one application as of a day (the library never reads the clock).

        ``application`` is a dict in the JSON shape of the application format (see
        ``schema()``; dates as "YYYY-MM-DD" strings), JSON or TOML text, or a
        ``pathlib.Path`` to an application file. ``readiness`` is a readiness report
        (``qic equity readiness --format json``) that judges the REAL and SOGI data in place of
        the application's declarations.

        A failing application is a decision, not an error. Raises ApplicationError (naming the
        line and column of text, or the field path of a dict) when the application cannot be
        read."""
    def batch(
        self,
        applications: PathLike | Iterable[Mapping[str, Any] | str],
        as_of: DateLike,
    ) -> Batch:
        """Judges many applications, streaming: yields a Decision or a BatchError per
        application, each with its line (the line of a JSON Lines file given by path, or the
        position from 1 in an iterable of dicts or JSON strings). Applications are judged a
        chunk at a time with the interpreter released."""

class Decision:
    """The decision on one application: the outcome, one finding per rule, feedback."""

    @property
    def outcome(self) -> Outcome:
        """eligible, offered_other_cohort, incomplete or not_eligible."""
    @property
    def offered_cohort(self) -> str | None:
        """The cohort offered instead, when the outcome is offered_other_cohort."""
    @property
    def applicant(self) -> str:
        """The applying organization's name."""
    @property
    def cohort(self) -> str:
        """The cohort applied for."""
    @property
    def ruleset_id(self) -> str:
        """The id of the rule set used."""
    @property
    def ruleset_version(self) -> str:
        """The version of the rule set used."""
    @property
    def as_of(self) -> datetime.date:
        """The day the application was judged as of."""
    @property
    def findings(self) -> list[Finding]:
        """One finding per rule, in the rule set's order."""
    @property
    def feedback(self) -> list[str]:
        """Sentences for the applicant: a summary, every failure, every warning."""
    @property
    def line(self) -> int | None:
        """The input line (from 1) in a batch; None from evaluate."""
    def failures(self) -> list[Finding]:
        """The findings that failed (required and redirect rules)."""
    def finding(self, rule: str) -> Finding | None:
        """The finding of the rule with this id."""
    def to_dict(self) -> dict[str, Any]:
        """The decision as plain Python values (its JSON shape)."""
    def to_json(self) -> str:
        """The decision as indented JSON: byte for byte what ``qic eligibility check --format
        json`` prints."""
    def to_text(self) -> str:
        """The decision in words, for a program manager."""

class Finding:
    """What one rule found."""

    @property
    def rule(self) -> str:
        """The rule's id, e.g. "letters.signatories"."""
    @property
    def severity(self) -> Severity:
        """required, redirect or recommended."""
    @property
    def status(self) -> Status:
        """pass, fail, warn or not_applicable."""
    @property
    def passed(self) -> bool:
        """True when the application meets the rule or the rule does not apply."""
    @property
    def missing(self) -> bool:
        """True when the rule fails only for something that can still be sent before the
        deadline (a letter, a part of the application, an answer)."""
    @property
    def message(self) -> str:
        """A sentence for the applicant."""
    @property
    def path(self) -> str:
        """The JSON path of the field the finding rests on, e.g. "$.letters"."""
    @property
    def citation(self) -> str:
        """Where the rule comes from."""
    def to_dict(self) -> dict[str, Any]:
        """The finding as plain Python values (its JSON shape)."""

class BatchError:
    """A batch's record of an input that is not a readable application."""

    @property
    def line(self) -> int:
        """The input line, or the position in the iterable, from 1."""
    @property
    def error(self) -> str:
        """What is wrong, naming the field where there is one."""
    @property
    def column(self) -> int | None:
        """The column of the fault within the line, where the parser knows it."""
    def to_dict(self) -> dict[str, Any]:
        """The record as ``qic eligibility batch`` writes it: line, error, column."""

class Batch(Iterator[Decision | BatchError]):
    """The records of a batch, in input order."""

    def __iter__(self) -> Batch: ...
    def __next__(self) -> Decision | BatchError: ...

def schema() -> dict[str, Any]:
    """The JSON Schema of the application format (docs/application.schema.json)."""

# Charts

class Chart:
    """A computed run or control chart."""

    @property
    def kind(self) -> str:
        """The chart type, e.g. "p"."""
    @property
    def points(self) -> list[dict[str, Any]]:
        """One dict per point: x, y, n, cl, lcl, ucl, lcl_95, ucl_95, sigma_signal, part,
        baseline, include, signals (undefined numbers are None)."""
    @property
    def summary(self) -> list[dict[str, Any]]:
        """One dict per part: centre line, mean limits, run statistics, signals."""
    @property
    def signals(self) -> list[dict[str, Any]]:
        """The signals, each naming its rule and the subgroups it covers."""
    @property
    def runs_signal(self) -> bool:
        """Whether a runs rule signals in any part."""
    def to_dict(self) -> dict[str, Any]:
        """The chart as plain Python values: the JSON of ``qic chart --format json``."""
    def to_json(self) -> str:
        """The chart as indented JSON."""
    def to_pandas(self) -> Any:
        """The points as a pandas DataFrame (needs pandas)."""
    def to_svg(
        self, title: str | None = None, width: int | None = None, height: int | None = None
    ) -> str:
        """The chart as a self-contained SVG document."""
    def describe(self) -> str:
        """What was charted and what it shows, in a sentence or two."""
    def __len__(self) -> int: ...

def chart(
    kind: Literal["run", "i", "mr", "xbar", "s", "t", "p", "pp", "c", "u", "up", "g"],
    y: Sequence[float | None],
    n: Sequence[float | None] | None = None,
    x: Sequence[float | datetime.date | str | None] | None = None,
    *,
    freeze: int | None = None,
    part: Sequence[int] | None = None,
    exclude: Sequence[int] | None = None,
    rules: Literal["anhoj", "anhoej", "ihi", "mdc"] = "anhoj",
    multiply: float | None = None,
    target: float | None = None,
    direction: Literal["increase", "decrease", "neutral"] | None = None,
    screened_mr: bool = True,
    negative_limits: bool = True,
    centre: float | None = None,
) -> Chart:
    """Computes a run or control chart as qicharts2 does, with the interpreter released.

    ``y`` holds the values or numerators (None or NaN for a missing one), ``n`` the
    denominators (p, pp, u, up charts), ``x`` the subgroup keys (numbers, dates or labels; rows
    with the same key form one subgroup; a row with no key is left out). ``freeze`` estimates
    the lines from the first N subgroups (of each part); ``part`` starts a new part after each
    given subgroup; ``exclude`` leaves subgroups out of the estimates (positions from 1).

    Raises ChartError naming the row and field of a value the chart type refuses."""

# Equity

class StratifiedTable:
    """A shareable stratified table: per period and stratum, per period, per stratum, overall;
    small cells suppressed unless turned off for internal use."""

    @property
    def cells(self) -> list[dict[str, Any]]:
        """One dict per period and stratum: period, stratum, estimate."""
    @property
    def rows(self) -> dict[str, Any]:
        """Rows read, used and skipped (small counts hidden)."""
    @property
    def total(self) -> dict[str, Any]:
        """The grand total's estimate."""
    def disparity(
        self, reference: str, direction: Literal["higher_is_better", "lower_is_better"]
    ) -> Disparity:
        """The gaps between groups against a reference: a group ("white", or
        "white/not_hispanic_or_latino" for crossed strata), "largest" or "best"."""
    def to_dict(self) -> dict[str, Any]:
        """The table as plain Python values (its JSON shape)."""
    def to_json(self) -> str:
        """The table as indented JSON (``qic equity stratify --format json``)."""
    def to_text(self) -> str:
        """The table as text."""
    def to_csv(self) -> str:
        """The table as CSV (``qic equity stratify --format csv``)."""
    def to_pandas(self) -> Any:
        """The CSV table as a pandas DataFrame (needs pandas)."""

class Disparity:
    """Gaps between groups per period against a reference group, and the gap series."""

    @property
    def periods(self) -> list[dict[str, Any]]:
        """Per period: the reference, each group compared with it, the composite measures."""
    @property
    def gaps(self) -> list[dict[str, Any]]:
        """Per group, its rate difference to the reference, period by period."""
    def to_dict(self) -> dict[str, Any]:
        """The report as plain Python values (its JSON shape)."""
    def to_json(self) -> str:
        """The report as indented JSON (``qic equity disparity --format json``)."""
    def to_text(self) -> str:
        """The report as text."""
    def to_csv(self) -> str:
        """One line per period and compared group (``qic equity disparity --format csv``)."""
    def to_pandas(self) -> Any:
        """The CSV comparisons as a pandas DataFrame (needs pandas)."""

def stratify(
    data: PathLike | Any,
    *,
    period: str,
    numerator: str,
    denominator: str | None = None,
    by: str | Sequence[str] | Mapping[str, str] | None = None,
    by_column: Sequence[str] | None = None,
    maps: Sequence[PathLike] | None = None,
    multiple_races: Literal["multiracial", "each_selected", "hispanic_or_latino_first"] = "multiracial",
    suppress_up_to: int = 10,
    no_suppression_internal_use_only: bool = False,
    threads: int | None = None,
) -> StratifiedTable:
    """A measure per period and stratum with Wilson 95% intervals.

    ``data`` is the path of a CSV extract (read in parallel, the interpreter released) or a
    data frame (pandas, polars, or a dict of lists) whose columns are read by name. ``period``
    names a date (YYYY-MM-DD) or month (YYYY-MM) column, ``numerator`` a 0/1 flag or count,
    ``denominator`` a count (1 per record without it). ``by`` names REAL/SOGI dimensions (race,
    ethnicity, language, sexual_orientation, gender_identity, ...): a name that is also the
    column, a list, or a dict of dimension to column; ``by_column`` plain columns (a site).
    ``maps`` adds mapping files of local codes (CSV ``dimension,raw,category`` or TOML).
    Counts from 1 to ``suppress_up_to`` are hidden, with complementary suppression;
    ``no_suppression_internal_use_only=True`` shows every count (with a warning).

    Raises DataError naming the line and column (never the value) of a cell that stops the
    run; rows with an empty period, numerator or denominator are counted as skipped."""

def disparity(
    data: PathLike | Any,
    *,
    period: str,
    numerator: str,
    reference: str,
    direction: Literal["higher_is_better", "lower_is_better"],
    denominator: str | None = None,
    by: str | Sequence[str] | Mapping[str, str] | None = None,
    by_column: Sequence[str] | None = None,
    maps: Sequence[PathLike] | None = None,
    multiple_races: Literal["multiracial", "each_selected", "hispanic_or_latino_first"] = "multiracial",
    suppress_up_to: int = 10,
    no_suppression_internal_use_only: bool = False,
    threads: int | None = None,
) -> Disparity:
    """``stratify(...)`` then the gaps against ``reference`` (a group, "largest" or "best"):
    rate differences with Newcombe intervals, rate ratios, index of disparity, between-group
    variance, population attributable proportion, and the gap series."""
