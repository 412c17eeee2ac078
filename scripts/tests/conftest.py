import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import subprocess

import pytest

SCREENSHOTS = ROOT / "build" / "screenshots"


def course(*args: str, timeout: float = 3600) -> subprocess.CompletedProcess:
    """Runs ./course with arguments, as a user would; output captured."""
    return subprocess.run(
        [str(ROOT / "course"), *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture(scope="session")
def built_site():
    """build/site/, built by `./course site` from the executed notebooks (as CI has them)."""
    r = course("site")
    if r.returncode != 0:
        pytest.fail(f"./course site failed:\n{r.stdout}\n{r.stderr}", pytrace=False)
    return ROOT / "build" / "site"


@pytest.fixture(scope="session")
def built_slides():
    """build/slides/01-probability.slides.html, built by `./course slides 01`."""
    r = course("slides", "01")
    if r.returncode != 0:
        pytest.fail(f"./course slides 01 failed:\n{r.stdout}\n{r.stderr}", pytrace=False)
    return ROOT / "build" / "slides"
