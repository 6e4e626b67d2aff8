"""The README's Python example runs as written."""

import re

from conftest import ROOT


def test_the_readme_python_example_runs(capsys):
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## From Python and C", 1)[1]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert blocks, "the README has no Python example"
    exec(compile(blocks[0], "README.md", "exec"), {})
    printed = capsys.readouterr().out
    assert "$.letters The letter of commitment from the board chair is missing" in printed
    assert "unknown field `teem`" in printed
