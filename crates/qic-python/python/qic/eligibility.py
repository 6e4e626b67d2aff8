"""Applications judged by rule sets kept as data, with decisions that explain themselves.

Example::

    import qic
    rules = qic.RuleSet.preset("pursuing-equity-action-community-2022")
    decision = rules.evaluate(application, as_of="2022-10-21")  # a dict, JSON or TOML text
    decision.outcome
    # 'eligible'
"""

from qic._qic import Batch, BatchError, Decision, Finding, RuleSet, schema

__all__ = ["Batch", "BatchError", "Decision", "Finding", "RuleSet", "schema"]
