"""Read the printed text of an executed notebook in build/notebooks/ (for the number tests)."""
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def notebook_text(name: str) -> str:
    """All stream output of the executed copy of `name`, or skip-with-failure if missing."""
    path = ROOT / "build" / "notebooks" / name
    if not path.exists():
        pytest.fail(f"{path} is missing: run ./course notebooks first")
    nb = json.loads(path.read_text())
    parts = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                text = out["text"]
                parts.append(text if isinstance(text, str) else "".join(text))
    return "".join(parts)


def number(text: str, pattern: str) -> float:
    """The first capture group of `pattern` in `text`, as a float."""
    m = re.search(pattern, text)
    assert m, f"pattern {pattern!r} not found in the notebook output"
    return float(m.group(1))
