"""Writing the site's sources: a file is written only when its content changed (Sphinx rebuilds by date)."""

from __future__ import annotations

from pathlib import Path


def write_if_changed(path: Path, text: str | bytes) -> None:
    """Write only when the content changed (Sphinx rebuilds what changed, by modification time)."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    if path.exists() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
