"""Paths of the repository and the cityrank command that the tests compare against."""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "examples" / "blockchain-2020" / "spec.toml"
DATA_SPEC = ROOT / "examples" / "blockchain-2021" / "spec.toml"


@pytest.fixture(scope="session")
def cityrank_bin() -> Path:
    """The command built by `cargo test` (CITYRANK_BIN overrides)."""
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    path = Path(os.environ.get("CITYRANK_BIN", target / "debug" / "cityrank"))
    if not path.exists():
        subprocess.run(["cargo", "build", "-p", "cityrank-cli"], cwd=ROOT, check=True)
    return path


def run(bin_path: Path, *args: str) -> None:
    subprocess.run([str(bin_path), *args], check=True, capture_output=True)
