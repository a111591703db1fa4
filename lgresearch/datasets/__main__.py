"""List the sample files, generating them into the cache folder first if needed: ``python -m lgresearch.datasets``."""

from __future__ import annotations

from lgresearch.datasets import external_dir


def main() -> None:
    """Print each sample file's path relative to the sample folder."""
    out = external_dir()
    for p in sorted(q for q in out.rglob("*") if q.is_file()):
        print(p.relative_to(out))


if __name__ == "__main__":
    main()
