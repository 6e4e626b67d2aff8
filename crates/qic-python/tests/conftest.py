"""Shared fixtures: the repository's root and the `qic` command the package is compared with."""

import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples" / "data"
PRESET = "pursuing-equity-action-community-2022"
AS_OF = "2022-10-21"


@pytest.fixture(scope="session")
def root():
    return ROOT


@pytest.fixture(scope="session")
def qic_cli():
    """The `qic` binary: $QIC_BIN (CI sets it), else built here with cargo."""
    if os.environ.get("QIC_BIN"):
        return Path(os.environ["QIC_BIN"])
    built = subprocess.run(
        ["cargo", "build", "--locked", "--quiet", "-p", "qic-cli", "--bin", "qic",
         "--message-format=json"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )
    for line in built.stdout.splitlines():
        message = json.loads(line)
        if message.get("reason") == "compiler-artifact" and message["target"]["name"] == "qic":
            if message.get("executable"):
                return Path(message["executable"])
    raise RuntimeError("cargo did not name the qic executable")


@pytest.fixture(scope="session")
def run_cli(qic_cli):
    """Runs `qic ARGS...` and returns its standard output (bytes); fails on a non-zero exit."""

    def run(*args):
        done = subprocess.run([str(qic_cli), *map(str, args)], capture_output=True, cwd=ROOT)
        assert done.returncode == 0, done.stderr.decode()
        return done.stdout

    return run
