"""Comparison groups and event-time support: which observations an estimator uses."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lgresearch.did.panel import CONTROLS, ESTIMATORS, _Prepared
from lgresearch.errors import DidInputError


def _last_cohort_as_control(df: pd.DataFrame, gd: np.ndarray, info: dict, name: str
                            ) -> tuple[pd.DataFrame, np.ndarray]:
    """No untreated comparison unit: the last cohort serves as comparison, periods from its treatment dropped."""
    cohorts = np.unique(gd[gd > 0])
    if len(cohorts) < 2:
        raise DidInputError(f"controls={name!r} needs never-treated units or at least two treatment cohorts (the "
                            "last one serves as the comparison); use controls='never_treated'")
    g_max = int(cohorts.max())
    keep = df["_time"].to_numpy() < g_max
    info["comparison"] = f"not-yet-treated units; periods from {g_max} (last cohort) on dropped"
    info["last_cohort_as_control"] = g_max
    return df[keep], np.where(gd[keep] == g_max, 0, gd[keep])


def _sample(prep: _Prepared, controls: str, window: tuple[int, int]) -> tuple[pd.DataFrame, dict]:
    """Apply the comparison-group rule; return the estimation sample with ``_gd`` (design cohort) and ``_e``.

    ``never_treated``: never-treated units only (units treated after the sample dropped). ``not_yet_treated``
    (the standard definition, Callaway and Sant'Anna's not-yet-treated group, the imputation estimators):
    never-treated units, units treated after the sample and the later cohorts before their treatment.
    ``later_treated``: never-treated units dropped; only units treated later (after the sample, or the last
    cohort) are comparisons.
    """
    df = prep.data
    info: dict = {}
    never = df["_g"] == 0
    late = df["_late"]
    if controls == "never_treated":
        if not never.any():
            raise DidInputError("controls='never_treated' but the panel has no never-treated units (cohort 0/NaN); "
                                "use controls='not_yet_treated'")
        df = df[~late]
        info["comparison"] = "never-treated units"
        gd = df["_g"].to_numpy()
    elif controls == "not_yet_treated":
        gd = np.where(late, 0, df["_g"])
        info["n_units_never_treated"] = int(prep.data.loc[never, "_unit"].nunique())
        if never.any() or late.any():
            info["comparison"] = ("not-yet-treated and never-treated units"
                                  + (" (incl. units treated after the sample)" if late.any() else ""))
        else:
            df, gd = _last_cohort_as_control(df, gd, info, controls)
    else:
        df = df[~never]
        info["n_units_dropped_never_treated"] = int(prep.data.loc[never, "_unit"].nunique())
        gd = np.where(df["_late"], 0, df["_g"])
        if df["_late"].any():
            info["comparison"] = "later-treated units (units treated after the sample; never-treated dropped)"
        else:
            df, gd = _last_cohort_as_control(df, gd, info, controls)
            info["comparison"] = info["comparison"].replace("not-yet-treated", "later-treated") + \
                "; never-treated dropped"
    df = df.assign(_gd=gd)
    e = np.where(df["_gd"] > 0, df["_time"] - df["_gd"], np.iinfo(np.int32).min)
    df = df.assign(_e=e)
    # treated observations after the window are dropped (their effects are not reported)
    df = df[~((df["_gd"] > 0) & (df["_e"] > window[1]))]
    return df.reset_index(drop=True), info


def _supported_window(prep: _Prepared, controls: str, ref: int, min_treated: int) -> tuple[int, int]:
    """Largest window around ``ref`` (and 0) with at least ``min_treated`` treated units at every event time."""
    wide = (-10_000, 10_000)
    df, _ = _sample(prep, controls, wide)
    treated = df[df["_gd"] > 0]
    counts = treated.groupby("_e")["_unit"].nunique()
    ok = set(int(e) for e, c in counts.items() if c >= min_treated)
    if ref not in ok or 0 not in ok or any(e not in ok for e in range(ref, 1)):
        raise DidInputError(f"no window is supported: event times {ref}..0 need at least {min_treated} treated "
                            f"units each (counts: { {int(k): int(v) for k, v in counts.items() if -5 <= k <= 5} }); "
                            "add data or lower min_treated")
    lo, hi = ref, 0
    while lo - 1 in ok:
        lo -= 1
    while hi + 1 in ok:
        hi += 1
    return lo, hi


def _check_support(df: pd.DataFrame, window: tuple[int, int], ref: int, min_treated: int) -> dict[int, int]:
    treated = df[df["_gd"] > 0]
    counts = treated[treated["_e"].between(*window)].groupby("_e")["_unit"].nunique()
    counts = {int(e): int(counts.get(e, 0)) for e in range(window[0], window[1] + 1)}
    thin = [e for e, c in counts.items() if c < min_treated and e != ref]
    if thin or counts.get(ref, 0) < min_treated:
        ok = [e for e, c in counts.items() if c >= min_treated]
        suggestion = ""
        if ok and ref in ok:
            lo = ref
            while lo - 1 in ok:
                lo -= 1
            hi = ref
            while hi + 1 in ok:
                hi += 1
            suggestion = f" Narrow the window to ({lo}, {hi})" + (" (no post period available)" if hi < 0 else "")
        bad = thin or [ref]
        raise DidInputError(
            f"too few treated units for window {window}: event time(s) {bad} have fewer than {min_treated} treated "
            f"units observed ({ {e: counts[e] for e in bad} }).{suggestion} or add data.")
    return counts


def _validate_args(estimator: str, controls: str, window: tuple[int, int] | None, ref: int
                   ) -> tuple[int, int] | None:
    if estimator not in ESTIMATORS:
        raise DidInputError(f"estimator must be one of {ESTIMATORS}, got {estimator!r}")
    if controls not in CONTROLS:
        raise DidInputError(f"controls must be one of {CONTROLS}, got {controls!r}")
    if window is None:
        if ref >= 0:
            raise DidInputError(f"need ref < 0; got ref={ref}")
        return None
    lo, hi = int(window[0]), int(window[1])
    if not lo <= ref < 0 <= hi:
        raise DidInputError(f"need window[0] <= ref < 0 <= window[1]; got window={window}, ref={ref}")
    return lo, hi


__all__: list[str] = []
