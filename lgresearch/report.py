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
NOT_TESTABLE = VERDICTS[3]
CLAIM_COLUMNS = ["notebook", "claim", "verdict", "estimate", "interval", "n", "method", "data_provenance", "note"]
ALTERNATIVES = ("two-sided", "greater", "less")


@dataclass(frozen=True)
class Decision:
    """A verdict and the written rule that produced it (see :func:`decide`).

    Attributes
    ----------
    verdict : str
        One of :data:`VERDICTS`.
    rule : str
        One sentence: which written rule applied and why; :func:`claim` puts it into the ledger's note.
    """

    verdict: str
    rule: str


def decide(estimate: float | None, interval: tuple[float, float] | None, *, claim_object: str, test_object: str,
           claimed: tuple[float, float] | None = None, null: float = 0.0, alternative: str = "two-sided",
           negligible: tuple[float, float] | None = None) -> Decision:
    """Turn an estimate and its interval into a verdict by the project's written rules.

    The rules, applied in this order (intervals are closed; "excludes" means strictly outside):

    1. **Not testable, wrong object.** If ``test_object`` is not ``claim_object`` (compared after trimming and
       case-folding), the verdict is "not testable with available data" and the rule names both objects: evidence
       about one thing (listed-firm returns) never judges a claim about another (private rounds).
    2. **Not testable, no number.** If the estimate or either interval bound is missing or not finite, the verdict
       is "not testable with available data".
    3. **A claimed range** ``claimed=(lo, hi)`` (a bound may be ``±inf`` for "at least" / "at most" claims):
       *supported* when the whole interval lies inside the range (``lo <= low`` and ``high <= hi``: every value
       the data allow is a value the claim allows); *contradicted* when the interval lies entirely outside it
       (``high < lo`` or ``low > hi``: no value the data allow is one the claim allows); otherwise *inconclusive*.
       ``null`` and ``alternative`` are not used.
    4. **A claim of an effect** (no claimed range) relative to ``null``:

       - ``alternative="greater"`` (the claim: above ``null``): *supported* when ``low > null``;
         *contradicted* when ``high < null``;
       - ``alternative="less"`` (the claim: below ``null``): *supported* when ``high < null``;
         *contradicted* when ``low > null``;
       - ``alternative="two-sided"`` (the claim: an effect, either sign): *supported* when the interval excludes
         ``null``;
       - in every case, *contradicted* also when ``negligible=(a, b)`` is given and the interval lies entirely
         inside it (an equivalence test: every effect the data allow is too small to be the claimed effect);
         otherwise *inconclusive*. An interval that merely includes ``null`` never contradicts a claim: absence of
         evidence is not evidence of absence.

    Parameters
    ----------
    estimate : float or None
        The point estimate the verdict rests on.
    interval : (low, high) or None
        Its uncertainty interval (e.g. a 95% confidence or bootstrap interval). An exact count without sampling
        error is the degenerate interval ``(x, x)``.
    claim_object : str
        What the claim is about, in a few words (e.g. ``"private round valuations"``).
    test_object : str
        What the estimate measures (e.g. ``"listed-firm stock returns"``).
    claimed : (low, high), optional
        The range of values the claim asserts (e.g. ``(0.5, 0.75)`` for "up 50% to 75%").
    null : float, default 0.0
        The no-effect value for a claim of an effect.
    alternative : {"two-sided", "greater", "less"}, default "two-sided"
        The direction the claim asserts relative to ``null``.
    negligible : (low, high), optional
        Effects too small to count as the claimed effect; an interval inside it contradicts the claim.

    Returns
    -------
    Decision
        ``verdict`` (one of :data:`VERDICTS`) and ``rule`` (one sentence naming the rule and the numbers).

    Raises
    ------
    ValueError
        For an unknown ``alternative`` or a range or interval whose low end exceeds its high end.

    Examples
    --------
    >>> decide(0.6, (0.55, 0.7), claim_object="round valuations", test_object="round valuations",
    ...        claimed=(0.5, 0.75)).verdict
    'supported'
    >>> decide(0.1, (0.02, 0.2), claim_object="round valuations", test_object="round valuations",
    ...        alternative="less").verdict
    'contradicted'
    >>> d = decide(0.01, (-0.02, 0.04), claim_object="private round valuations",
    ...            test_object="listed-firm stock returns")
    >>> d.verdict, "listed-firm stock returns" in d.rule
    ('not testable with available data', True)
    """
    _check_options(alternative, claimed, negligible)
    if (untestable := _untestable(estimate, interval, claim_object, test_object)) is not None:
        return untestable
    low, high, shown = _bounds(interval)  # type: ignore[arg-type]
    if claimed is not None:
        return _decide_range(shown, low, high, claimed)
    return _decide_effect(shown, low, high, null, alternative, negligible)


def _bounds(interval: tuple[float, float]) -> tuple[float, float, str]:
    """The interval's bounds as floats (low end first, or a ValueError) and as shown in a rule."""
    low, high = float(interval[0]), float(interval[1])
    if low > high:
        raise ValueError(f"interval {interval} has its low end above its high end; pass (low, high)")
    return low, high, f"[{_fmt(low)}, {_fmt(high)}]"


def _check_options(alternative: str, claimed: tuple[float, float] | None,
                   negligible: tuple[float, float] | None) -> None:
    """Reject an unknown ``alternative`` and a range whose low end exceeds its high end."""
    if alternative not in ALTERNATIVES:
        raise ValueError(f"alternative must be one of {ALTERNATIVES}, got {alternative!r}")
    for name, rng in (("claimed", claimed), ("negligible", negligible)):
        if rng is not None and not rng[0] <= rng[1]:
            raise ValueError(f"{name} range {rng} has its low end above its high end; pass (low, high)")


def _untestable(estimate: float | None, interval: tuple[float, float] | None, claim_object: str,
                test_object: str) -> Decision | None:
    """Rules 1 and 2 of :func:`decide`: a different object, or no finite estimate with an interval."""
    if _norm_object(claim_object) != _norm_object(test_object):
        return Decision(NOT_TESTABLE, f"Not testable: the claim is about {claim_object.strip()} but the "
                                      f"available estimate measures {test_object.strip()}.")
    if estimate is None and interval is None:
        return Decision(NOT_TESTABLE, "Not testable: there is no estimate with an interval to judge the claim by "
                                      "(missing or not finite).")
    if estimate is None or interval is None or not all(_finite(x) for x in (estimate, *interval)):
        shown = "none" if interval is None else f"[{_fmt(interval[0])}, {_fmt(interval[1])}]"
        return Decision(NOT_TESTABLE, f"Not testable: the estimate or its interval is missing or not finite "
                                      f"(estimate {_fmt(estimate)}, interval {shown}).")
    return None


def decide_all(parts: Sequence[Decision]) -> Decision:
    """Verdict on a claim made of several parts (a conjunction: "X and Y"), from each part's :func:`decide`.

    Rules: *contradicted* when any part is contradicted; otherwise *not testable with available data* when any
    part is not testable; otherwise *supported* when every part is supported; otherwise *inconclusive*. The rule
    lists every part's rule.

    Parameters
    ----------
    parts : sequence of Decision
        One decision per part of the claim (at least one).

    Returns
    -------
    Decision
        The verdict on the whole claim.

    Examples
    --------
    >>> a = decide(1000, (1000, 1000), claim_object="x", test_object="x", claimed=(900, 1100))
    >>> b = decide(10, (10, 10), claim_object="x", test_object="x", claimed=(10, float("inf")))
    >>> decide_all([a, b]).verdict
    'supported'
    """
    parts = list(parts)
    if not parts:
        raise ValueError("decide_all needs at least one part")
    verdicts = [p.verdict for p in parts]
    for verdict in ("contradicted", NOT_TESTABLE):
        if verdict in verdicts:
            break
    else:
        verdict = "supported" if all(v == "supported" for v in verdicts) else "inconclusive"
    rules = "; ".join(f"part {i + 1}: {p.rule.rstrip('.')}" for i, p in enumerate(parts))
    return Decision(verdict, f"{verdict.capitalize()} (all parts must hold): {rules}.")


def _decide_range(shown: str, low: float, high: float, claimed: tuple[float, float]) -> Decision:
    c_lo, c_hi = float(claimed[0]), float(claimed[1])
    rng = f"[{_fmt(c_lo)}, {_fmt(c_hi)}]"
    if c_lo <= low and high <= c_hi:
        return Decision("supported", f"Supported: the interval {shown} lies inside the claimed range {rng}.")
    if high < c_lo or low > c_hi:
        return Decision("contradicted", f"Contradicted: the interval {shown} lies entirely outside the "
                                        f"claimed range {rng}.")
    return Decision("inconclusive", f"Inconclusive: the interval {shown} overlaps the claimed range {rng} "
                                    f"but does not lie inside it.")


def _decide_effect(shown: str, low: float, high: float, null: float, alternative: str,
                   negligible: tuple[float, float] | None) -> Decision:
    above, below = low > null, high < null
    nul = _fmt(null)
    if alternative == "greater" and above or alternative == "less" and below:
        side = "above" if above else "below"
        return Decision("supported", f"Supported: the interval {shown} lies {side} {nul}, as claimed.")
    if alternative == "two-sided" and (above or below):
        return Decision("supported", f"Supported: the interval {shown} excludes {nul}.")
    if alternative == "greater" and below or alternative == "less" and above:
        side = "below" if below else "above"
        return Decision("contradicted", f"Contradicted: the interval {shown} lies {side} {nul}, the opposite "
                                        f"of the claimed direction.")
    if negligible is not None and negligible[0] <= low and high <= negligible[1]:
        return Decision("contradicted", f"Contradicted: the interval {shown} lies inside the range of negligible "
                                        f"effects [{_fmt(negligible[0])}, {_fmt(negligible[1])}].")
    claim_side = {"greater": "above", "less": "below", "two-sided": "away from"}[alternative]
    return Decision("inconclusive", f"Inconclusive: the interval {shown} includes {nul}, so the data neither "
                                    f"place the effect {claim_side} {nul} nor rule the claim out.")


def _norm_object(text: str) -> str:
    if not isinstance(text, str) or not text.strip():
        raise ValueError("claim_object and test_object are required: say in a few words what each is about")
    return " ".join(text.split()).casefold()


def _is_number(x: object) -> bool:
    try:
        float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return True


def _finite(x: object) -> bool:
    try:
        return math.isfinite(float(x))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def claim(
    text: str,
    verdict: str | Decision,
    *,
    estimate: float | str | None = None,
    interval: tuple[float, float] | str | None = None,
    n: int | None = None,
    method: str = "",
    provenance: str,
    notebook: str = "",
    note: str = "",
) -> dict:
    """Build one verdict row.

    Parameters
    ----------
    text : str
        The claim, quoted as published.
    verdict : str or Decision
        One of :data:`VERDICTS`, or better the :class:`Decision` returned by :func:`decide` (its rule is
        added to the note), so that no verdict logic is written by hand.
    estimate : float or str, optional
        The number the verdict rests on.
    interval : (low, high) or str, optional
        Its uncertainty interval (e.g. a 95% CI), or a range of candidate values.
    n : int, optional
        The sample size behind the estimate.
    method : str
        What exactly was estimated, on which sample, with which inference (e.g. "share of merged-round
        pairs ≤ 183 days apart with step-up ≥ 1.5; firm-cluster bootstrap; n pairs"). Required by
        :func:`verdict_table` for every row that is not "not testable with available data".
    provenance : str
        Which data: ``"real: ..."``, ``"simulated: ..."`` (every simulated verdict says so) or ``"none"``.
    notebook, note : str
        Notebook name and a one-line explanation.

    Returns
    -------
    dict
        One row with the keys :data:`CLAIM_COLUMNS`.

    Examples
    --------
    >>> d = decide(4762, (4762, 4762), claim_object="nominations", test_object="nominations",
    ...            claimed=(4762, 4762))
    >>> row = claim("4,762 firms nominated", d, estimate=4762, method="count of official facts", provenance="none")
    >>> row["verdict"], row["note"].startswith("Supported")
    ('supported', True)
    >>> claim("x", "maybe", provenance="none")
    Traceback (most recent call last):
    ...
    ValueError: verdict must be one of ('supported', 'contradicted', 'inconclusive',
    'not testable with available data'), got 'maybe'
    """
    if isinstance(verdict, Decision):
        note = (note.rstrip() + " " if note.strip() else "") + verdict.rule
        verdict = verdict.verdict
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
        "method": method.strip(),
        "data_provenance": provenance,
        "note": note,
    }


def _fmt(x: float | None) -> str:
    if x is None or not _is_number(x) or math.isnan(float(x)):
        return "NA"
    v = float(x)
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if v.is_integer():
        return f"{int(v):,}"
    return f"{v:.4g}"


def verdict_table(rows: Iterable[Mapping], notebook: str, *, write: bool = True) -> pd.DataFrame:
    """Validate the verdict rows, write ``reports/claims/<notebook>.csv`` and return them for display.

    Parameters
    ----------
    rows : iterable of mappings
        Rows built with :func:`claim`.
    notebook : str
        The notebook's name (the file stem); it names the csv and fills the ``notebook`` column.
    write : bool, default True
        Write ``reports/claims/<notebook>.csv`` (under ``LGRESEARCH_REPORTS_DIR``).

    Returns
    -------
    pandas.DataFrame
        The rows as text, with the columns :data:`CLAIM_COLUMNS`.

    Raises
    ------
    ValueError
        When there are no rows, a column is missing, a verdict is unknown, or a row with a verdict other
        than "not testable with available data" has no ``method``.

    Examples
    --------
    >>> t = verdict_table([claim("c", "inconclusive", method="demo", provenance="none")], "doc_example",
    ...                   write=False)
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
    no_method = (frame["verdict"] != NOT_TESTABLE) & (frame["method"].fillna("").astype(str).str.strip() == "")
    if no_method.any():
        raise ValueError(f"{notebook}: rows {frame.index[no_method].tolist()} "
                         f"({frame.loc[no_method, 'claim'].tolist()}) have a verdict but no method: "
                         "pass claim(..., method='what was estimated, on which sample, with which inference')")
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

    Parameters
    ----------
    sources : sequence of DataSource
        The data the notebook read, each with its kind (real, facts, simulated) and location.

    Returns
    -------
    Banner
        The banner as Markdown text (a ``str``), already displayed once.

    Examples
    --------
    >>> print(data_banner([DataSource("official facts", "facts", "lgresearch/data/official")]))  # doctest: +ELLIPSIS
    **Data this report ran on**
    ...
    """
    labels = {
        "real": "REAL third-party data",
        "facts": "official facts (lgresearch/data/official)",
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

    Parameters
    ----------
    reports : Path, optional
        The reports folder (default: the ``LGRESEARCH_REPORTS_DIR`` setting).

    Returns
    -------
    DataFrame
        Every notebook's claims with :data:`CLAIM_COLUMNS`, sorted by notebook (empty when there are none).

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


#: Every public name of this module (issue 11, item 7).
__all__ = [
    "ALTERNATIVES", "Banner", "claim", "CLAIM_COLUMNS", "collect_claims", "data_banner", "DataSource", "decide",
    "decide_all", "Decision", "NOT_TESTABLE", "verdict_table", "VERDICTS"
]
