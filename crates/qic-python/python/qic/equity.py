"""Measures stratified by period and group, and the gaps between groups, with small cells
suppressed by default.

Example::

    import qic
    table = qic.equity.stratify("extract.csv", period="visit_date", numerator="screened", by="race")
    gaps = table.disparity("white", "higher_is_better")
"""

from qic._qic import Disparity, StratifiedTable, disparity, stratify

__all__ = ["Disparity", "StratifiedTable", "disparity", "stratify"]
