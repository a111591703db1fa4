"""Notebook reporting: the data banner, the verdict table (claims ledger) and the notebook runner.

Every notebook starts with :func:`data_banner` (which data it ran on) and ends with :func:`verdict_table`,
which validates the claims, shows them, and writes ``reports/claims/<notebook>.csv``; the runner
(:func:`run_reports`) collects those into ``reports/claims.csv`` and ``reports/index.html``.

Examples
--------
>>> row = claim("MIIT has nominated 4,762 firms since 2019", "supported", estimate=4762, n=3,
...             provenance="real: official facts", notebook="demo")
>>> row["verdict"]
'supported'
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from lgresearch import paths

VERDICTS = ("supported", "contradicted", "inconclusive", "not testable with available data")
CLAIM_COLUMNS = ["notebook", "claim", "verdict", "estimate", "interval", "n", "data_provenance", "note"]


def claim(
    text: str,
    verdict: str,
    *,
    estimate: float | str | None = None,
    interval: tuple[float, float] | str | None = None,
    n: int | None = None,
    provenance: str,
    notebook: str = "",
    note: str = "",
) -> dict:
    """Build one verdict row.

    Parameters
    ----------
    text : str
        The claim, quoted as published.
    verdict : {"supported", "contradicted", "inconclusive", "not testable with available data"}
    estimate : float or str, optional
        The number the verdict rests on.
    interval : (low, high) or str, optional
        Its uncertainty interval (e.g. a 95% CI), or a range of candidate values.
    n : int, optional
        The sample size behind the estimate.
    provenance : str
        Which data: ``"real: ..."``, ``"simulated: ..."`` (every simulated verdict says so) or ``"none"``.
    notebook, note : str
        Notebook name and a one-line explanation.

    Examples
    --------
    >>> claim("x", "maybe", provenance="none")
    Traceback (most recent call last):
    ...
    ValueError: verdict must be one of ('supported', 'contradicted', 'inconclusive', 'not testable with available data'), got 'maybe'
    """
    if verdict not in VERDICTS:
        raise ValueError(f"verdict must be one of {VERDICTS}, got {verdict!r}")
    if not provenance:
        raise ValueError("every verdict states its data provenance")
    if provenance.lower().startswith("simulated") and "simulat" not in (note + text).lower():
        note = (note + " " if note else "") + "SIMULATED DATA: says nothing about China."
    if isinstance(interval, tuple):
        lo, hi = interval
        interval = f"[{_fmt(lo)}, {_fmt(hi)}]"
    return {
        "notebook": notebook,
        "claim": text,
        "verdict": verdict,
        "estimate": "" if estimate is None else (estimate if isinstance(estimate, str) else _fmt(estimate)),
        "interval": interval or "",
        "n": "" if n is None else int(n),
        "data_provenance": provenance,
        "note": note,
    }


def _fmt(x: float) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "NA"
    if isinstance(x, (int,)) or float(x).is_integer():
        return f"{int(x):,}"
    return f"{float(x):.4g}"


def verdict_table(rows: Iterable[Mapping], notebook: str, *, write: bool = True) -> pd.DataFrame:
    """Validate the verdict rows, write ``reports/claims/<notebook>.csv`` and return them for display.

    Examples
    --------
    >>> t = verdict_table([claim("c", "inconclusive", provenance="none")], "doc_example", write=False)
    >>> t.loc[0, "notebook"], list(t.columns) == CLAIM_COLUMNS
    ('doc_example', True)
    """
    frame = pd.DataFrame([dict(r) for r in rows])
    if frame.empty:
        raise ValueError(f"{notebook}: a notebook ends with at least one verdict row")
    frame["notebook"] = notebook
    missing = [c for c in CLAIM_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"verdict rows lack columns {missing}")
    bad = ~frame["verdict"].isin(VERDICTS)
    if bad.any():
        raise ValueError(f"unknown verdicts: {frame.loc[bad, 'verdict'].tolist()}")
    frame = frame[CLAIM_COLUMNS].astype(str)
    if write:
        out = paths.reports_dir() / "claims"
        out.mkdir(parents=True, exist_ok=True)
        frame.to_csv(out / f"{notebook}.csv", index=False)
    return frame


@dataclass(frozen=True)
class DataSource:
    """One input of a notebook and whether it was found."""

    name: str
    kind: str  # "real", "simulated", "facts" or "missing"
    detail: str = ""


class Banner(str):
    """The data banner's Markdown text; in a notebook it shows once, rendered (never as an escaped string)."""

    shown: bool = False

    def _repr_markdown_(self) -> str:
        return str(self)

    def _ipython_display_(self) -> None:
        if not self.shown:  # data_banner already displayed it when it ran in a kernel
            from IPython.display import Markdown, display

            display(Markdown(str(self)))
            self.shown = True


def _in_kernel() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover
        return False
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel")


def data_banner(sources: Sequence[DataSource]) -> str:
    """Return a Markdown banner stating which data the notebook ran on, and show it once.

    In a Jupyter kernel the banner is displayed as rendered Markdown (and the returned :class:`Banner`, a
    ``str``, does not display again as the cell's value); elsewhere it is printed.

    Examples
    --------
    >>> print(data_banner([DataSource("official facts", "facts", "data/raw/official")]))  # doctest: +ELLIPSIS
    **Data this report ran on**
    ...
    """
    labels = {
        "real": "REAL third-party data",
        "facts": "official facts (data/raw/official)",
        "simulated": "SIMULATED DATA (not about China)",
        "missing": "NOT AVAILABLE: this part falls back or is skipped",
    }
    lines = ["**Data this report ran on**", ""]
    for s in sources:
        lines.append(f"- {s.name}: {labels.get(s.kind, s.kind)}{' (' + s.detail + ')' if s.detail else ''}")
    banner = Banner("\n".join(lines))
    if _in_kernel():
        banner._ipython_display_()
    else:
        print(banner)
    return banner


def collect_claims(reports: Path | None = None) -> pd.DataFrame:
    """Concatenate every ``reports/claims/*.csv`` into one table (sorted by notebook).

    Examples
    --------
    >>> list(collect_claims(Path("/nonexistent")).columns) == CLAIM_COLUMNS
    True
    """
    reports = reports or paths.reports_dir()
    files = sorted((reports / "claims").glob("*.csv")) if (reports / "claims").exists() else []
    if not files:
        return pd.DataFrame(columns=CLAIM_COLUMNS)
    return pd.concat([pd.read_csv(f, dtype=str, keep_default_na=False) for f in files], ignore_index=True)
