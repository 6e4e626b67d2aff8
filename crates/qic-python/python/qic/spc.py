"""Run charts and Shewhart control charts (qicharts2 parity) with Anhoej, IHI and Making Data
Count rules.

Example::

    import qic
    chart = qic.spc.chart("p", [3, 5, 2, 4], n=[40, 52, 38, 45])
    chart.summary[0]["cl"]
"""

from qic._qic import Chart, chart

__all__ = ["Chart", "chart"]
