"""qic: eligibility rules, run and control charts, and equity measures for health care
quality-improvement collaboratives.

Every decision, chart and table is computed by qic's Rust libraries (the native module
``qic._qic``); this package only arranges them by topic:

- ``qic.eligibility``: ``RuleSet`` (``preset``, ``from_toml``, ``from_file``), ``evaluate`` and
  ``batch`` into ``Decision``\\s, ``schema()``.
- ``qic.spc``: ``chart(kind, y, n=None, x=None, ...)`` into a ``Chart``.
- ``qic.equity``: ``stratify(...)`` and ``disparity(...)`` over a CSV extract or a data frame.

Errors are ``qic.QicError`` and its subclasses (``qic.InputError``: ``ApplicationError``,
``RuleSetError``, ``ChartError``, ``DataError``), whose messages and attributes name the file,
line, column and field at fault; files that cannot be read raise ``OSError``.
"""

from qic import eligibility, equity, spc
from qic._qic import (
    ApplicationError,
    ChartError,
    DataError,
    InputError,
    QicError,
    RuleSetError,
    __version__,
)
from qic.eligibility import BatchError, Decision, Finding, RuleSet, schema
from qic.equity import Disparity, StratifiedTable, disparity, stratify
from qic.spc import Chart, chart

__all__ = [
    "ApplicationError",
    "BatchError",
    "Chart",
    "ChartError",
    "DataError",
    "Decision",
    "Disparity",
    "Finding",
    "InputError",
    "QicError",
    "RuleSet",
    "RuleSetError",
    "StratifiedTable",
    "__version__",
    "chart",
    "disparity",
    "eligibility",
    "equity",
    "schema",
    "spc",
    "stratify",
]
