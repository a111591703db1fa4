"""Listed-firm designation events: the analysis behind notebook 05.

Combines the returns panel and the listed-firm panels (board from the code, point-in-time Shenwan industry, float
market cap, dated stock lists) with the event-study estimators of :mod:`lgresearch.events`:

* :func:`firm_attributes` - matching attributes of stocks at a date;
* :class:`ListedEventSetup` - one set-up for many matched studies of listed firms: the control pool that existed
  at each date (:meth:`~ListedEventSetup.pool_at`, with its accounting), the matched study
  (:meth:`~ListedEventSetup.study`) and its placebo windows with every other batch window left out
  (:meth:`~ListedEventSetup.placebo`);
* :func:`provincial_table` and :func:`pooled_batch_table` - the day-level provincial tests and the pooled,
  diluted test around every batch date;
* :func:`listed_in_batch` - the published listed counts per batch (official facts);
* :func:`holm` - Holm-adjusted p-values.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from lgresearch import events as ev
from lgresearch import official
from lgresearch.events.study import _firm_attributes
from lgresearch.provenance import mark_real

__all__ = ["firm_attributes", "LIST_DATES", "ListedEventSetup", "listed_in_batch", "holm", "verified_batch_table",
           "provincial_table", "pooled_batch_table"]

#: Dated stock lists of the stock universe (:func:`lgresearch.listed.stock_universe` columns): a control pool
#: within half a year of one of these dates counts the listed stocks of that list that lack prices.
LIST_DATES = {"in_list_2024_06": pd.Timestamp("2024-06-28"), "in_list_2025_11": pd.Timestamp("2025-11-15")}


def firm_attributes(codes: Iterable[str], date, *, panel: pd.DataFrame | None = None) -> pd.DataFrame:
    """Matching attributes of stocks at a date: board (from the code), Shenwan level-1 industry (point in time)
    and log float market cap (:func:`lgresearch.prices.size_at`).

    Moved here from ``lgresearch.events`` in release 1.0 (``events.firm_attributes`` still works for one release,
    with a ``FutureWarning``).

    Parameters
    ----------
    codes : iterable of str
        Six-digit stock codes.
    date : date-like
        The date at which attributes are measured (point in time).
    panel : DataFrame, optional
        Returns panel with ``code, date`` and size columns; default: the cached returns panel.

    Returns
    -------
    DataFrame
        ``code, board, sw_l1_code, sw_l1_en, log_size, size_source`` (missing values where unknown).

    Examples
    --------
    >>> firm_attributes(["300557"], "2024-08-01").columns.tolist()        # doctest: +SKIP
    ['code', 'board', 'sw_l1_code', 'sw_l1_en', 'log_size', 'size_source']
    """
    return _firm_attributes(codes, date, panel=panel)


@dataclass
class ListedEventSetup:
    """Shared set-up of matched event studies of listed firms: one returns panel, market, calendar and stock
    universe; untagged control pools that existed at each date; placebo windows that leave out every batch window.

    Parameters
    ----------
    returns : DataFrame
        Returns panel ``code, date, ret[, gap]``.
    market : Series
        Market returns indexed by session.
    sessions : DatetimeIndex
        Trading sessions.
    universe : DataFrame
        Stock universe with ``code`` and the dated-list flags of :data:`LIST_DATES` (may be None: no accounting).
    tagged : iterable of str
        Codes that can never be controls (every tagged firm).
    event_dates : DataFrame
        :func:`lgresearch.events.batch_event_dates` output; their windows are left out of every placebo.
    estimation_window, min_estimation_obs, k, level, placebo_start
        As in :func:`lgresearch.events.matched_event_study` and :func:`lgresearch.events.study_placebo`.

    Examples
    --------
    >>> sim = ev.simulate_event_data(n_firms=60, n_days=700, effect=0.03, seed=4)
    >>> codes = sim.events["code"].tolist()
    >>> d0 = sim.events["event_date"].iloc[0]
    >>> dates = pd.DataFrame({"event_session": [d0], "window_end": [5]})
    >>> setup = ListedEventSetup(sim.returns, sim.market, sim.market.index, None, codes[:20], dates,
    ...                          estimation_window=(-200, -10), min_estimation_obs=50, k=2)
    >>> pool = setup.pool_at(d0)
    >>> len(pool), setup.pool_table()["stock_list"].tolist()
    (40, ['none near'])
    """

    returns: pd.DataFrame
    market: pd.Series
    sessions: pd.DatetimeIndex
    universe: pd.DataFrame | None
    tagged: Iterable[str]
    event_dates: pd.DataFrame
    estimation_window: tuple[int, int] = (-250, -30)
    min_estimation_obs: int | None = None
    k: int = 3
    level: float = 0.95
    placebo_start: object = None
    pools: dict = field(default_factory=dict, repr=False)
    pool_log: list = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self.tagged = set(self.tagged)
        sessions = self.sessions
        self.other_events = [
            (r["event_session"], sessions[min(len(sessions) - 1,
                                              sessions.get_loc(r["event_session"]) + int(r["window_end"]))])
            for _, r in self.event_dates.dropna(subset=["event_session"]).iterrows()]

    def pool_at(self, date) -> list[str]:
        """Untagged stocks trading at the date (:func:`lgresearch.events.control_pool`), computed once per date;
        the accounting (stocks of a dated list within 183 days that lack prices) goes to :meth:`pool_table`.

        Parameters
        ----------
        date : date-like
            The event date.

        Returns
        -------
        list of str
            The candidate control codes.

        Examples
        --------
        >>> sim = ev.simulate_event_data(n_firms=30, n_days=400, seed=4)
        >>> dates = pd.DataFrame({"event_session": [], "window_end": []})
        >>> s = ListedEventSetup(sim.returns, sim.market, sim.market.index, None, ["000000"], dates)
        >>> len(s.pool_at(sim.market.index[350]))
        29
        """
        day = pd.Timestamp(date)
        if day in self.pools:
            return self.pools[day]
        near = [c for c, d in LIST_DATES.items() if abs((day - d).days) <= 183]
        cand = (self.universe.loc[self.universe[near[0]].fillna(False).astype(bool), "code"]
                if near and self.universe is not None else None)
        pool, acc = ev.control_pool(self.returns, date, exclude=self.tagged, candidates=cand)
        self.pool_log.append({"event_date": day.date(), "stock_list": near[0] if near else "none near",
                              **{k: v for k, v in acc.items() if k != "lacking_examples"}})
        self.pools[day] = pool
        return pool

    def pool_table(self) -> pd.DataFrame:
        """One row per date whose pool was built: the dated list used and the accounting of
        :func:`lgresearch.events.control_pool`.

        Returns
        -------
        DataFrame
            ``event_date, stock_list`` and the accounting counts.

        Examples
        --------
        >>> sim = ev.simulate_event_data(n_firms=10, n_days=400, seed=4)
        >>> dates = pd.DataFrame({"event_session": [], "window_end": []})
        >>> s = ListedEventSetup(sim.returns, sim.market, sim.market.index, None, [], dates)
        >>> _ = s.pool_at(sim.market.index[350]); len(s.pool_table())
        1
        """
        return pd.DataFrame(self.pool_log).drop_duplicates("event_date")

    def study(self, codes: Iterable[str], date, *, event_window: tuple[int, int], label: str,
              market: pd.Series | None = None) -> ev.MatchedStudy:
        """:func:`lgresearch.events.matched_event_study` of ``codes`` at ``date`` against the pool at the date.

        Parameters
        ----------
        codes : iterable of str
            Treated codes.
        date : date-like
            Event date.
        event_window : (int, int)
            Event window in sessions.
        label : str
            The study's label.
        market : Series, optional
            Another market series (robustness); default the set-up's.

        Returns
        -------
        MatchedStudy

        Examples
        --------
        >>> sim = ev.simulate_event_data(n_firms=40, n_days=400, effect=0.03, seed=4)
        >>> d0 = sim.events["event_date"].iloc[0]
        >>> dates = pd.DataFrame({"event_session": [], "window_end": []})
        >>> codes = sim.events["code"].tolist()
        >>> s = ListedEventSetup(sim.returns, sim.market, sim.market.index, None, codes[:10], dates, k=2,
        ...                      estimation_window=(-200, -10), min_estimation_obs=50)
        >>> st = s.study(codes[:10], d0, event_window=(0, 1), label="demo")  # doctest: +SKIP
        >>> st.info["n_treated"]  # doctest: +SKIP
        10
        """
        return ev.matched_event_study(codes, date, returns=self.returns,
                                      market=self.market if market is None else market,
                                      pool_codes=self.pool_at(date), event_window=event_window, label=label,
                                      estimation_window=self.estimation_window,
                                      min_estimation_obs=self.min_estimation_obs, k=self.k)

    def placebo(self, study: ev.MatchedStudy, *, window: tuple[int, int] | None = None, own=None,
                level: float | None = None) -> ev.PlaceboResult:
        """The study's window against every other window of its length, other batch windows left out.

        Parameters
        ----------
        study : MatchedStudy
            A study of :meth:`study`.
        window : (int, int), optional
            Sub-window tested (default: the whole event window).
        own : date-like, optional
            The session of the study's own batch window, which stays in (default: the study's event date).
        level : float, optional
            Confidence level (default: the set-up's).

        Returns
        -------
        PlaceboResult

        Examples
        --------
        >>> sim = ev.simulate_event_data(n_firms=40, n_days=900, seed=21)
        >>> codes = sim.events["code"].tolist()
        >>> attrs = pd.DataFrame({"code": codes, "board": "Main", "sw_l1_code": 1, "log_size": np.arange(40.0)})
        >>> st = ev.matched_event_study(codes[:20], sim.market.index[600], returns=sim.returns, market=sim.market,
        ...                             pool_codes=codes[20:], attributes=attrs, event_window=(0, 19),
        ...                             estimation_window=(-120, -10))
        >>> s = ListedEventSetup(sim.returns, sim.market, sim.market.index, None, codes[:20],
        ...                      pd.DataFrame({"event_session": [], "window_end": []}), estimation_window=(-120, -10))
        >>> bool(s.placebo(st).n_placebo >= 30)
        True
        """
        own = pd.Timestamp(study.info["event_date"]) if own is None else own
        return ev.study_placebo(study, window=window, exclude=[w for w in self.other_events if w[0] != own],
                                returns=self.returns, market=self.market, start=self.placebo_start,
                                estimation_window=self.estimation_window, min_estimation_obs=self.min_estimation_obs,
                                level=self.level if level is None else level)


def listed_in_batch(directory=None) -> dict[int, int]:
    """Published A-share listed firms designated in each batch (official facts): batches 1-3 as published, batch 4
    as the end-2022 total minus batches 1-3; later batches have no count.

    Parameters
    ----------
    directory : Path, optional
        Folder with the official facts files (default: the package data).

    Returns
    -------
    dict of int to int
        Batch -> listed firms.

    Examples
    --------
    >>> listed_in_batch()[1]
    35
    """
    lc = official.listed_counts(directory)
    per_batch = lc[lc["metric"] == "listed_a_share_at_list_time"].set_index("batch")["value"].astype(int)
    end22 = int(lc.query("metric == 'listed_a_share_total' and as_of == '2022-12-31'")["value"].item())
    return {**{int(b): int(v) for b, v in per_batch.items()}, 4: end22 - int(per_batch.sum())}


def holm(p_values: Sequence[float] | np.ndarray) -> np.ndarray:
    """Holm (1979) step-down adjusted p-values (as ``statsmodels.stats.multitest.multipletests(method="holm")``).

    Parameters
    ----------
    p_values : sequence of float
        Raw p-values (no missing values).

    Returns
    -------
    ndarray
        Adjusted p-values, in the input order, capped at 1.

    Examples
    --------
    >>> holm([0.01, 0.04, 0.03]).round(2).tolist()
    [0.03, 0.06, 0.06]
    """
    p = np.asarray(p_values, dtype=float)
    order = np.argsort(p)
    adj = np.maximum.accumulate(p[order] * np.arange(len(p), 0, -1))
    adj[adj > 1] = 1
    out = np.empty_like(adj)
    out[order] = adj
    return out


def verified_batch_table(setup: ListedEventSetup, verified: pd.DataFrame, *,
                         batches: Sequence[int] = (2, 3, 5)) -> pd.DataFrame:
    """Tagged-minus-controls CAR of each firm with a verified batch, over its batch's publicity window.

    Parameters
    ----------
    setup : ListedEventSetup
        The shared set-up (its ``event_dates`` give each batch's publicity date and window).
    verified : DataFrame
        Firms with ``code``, ``name``, ``board`` and ``verified_batch``.
    batches : sequence of int
        Batches whose publicity date is used.

    Returns
    -------
    DataFrame
        One row per verified firm of those batches: ``code, name, board, verified_batch, status,
        car_minus_controls, event``; ``status`` is ``"not in prices"`` for firms without returns.

    Examples
    --------
    >>> setup = ListedEventSetup(panel, csi1000, sessions, universe, tagged, event_dates)  # doctest: +SKIP
    >>> verified_batch_table(setup, llg[llg["verified_batch"].notna()])  # doctest: +SKIP
    """
    d_all = setup.event_dates
    dates = d_all[d_all["kind"].eq("publicity_start") & d_all["batch"].isin(list(batches))]
    parts = []
    for _, d in dates.iterrows():
        codes = verified.loc[verified["verified_batch"] == d["batch"], "code"]
        if len(codes) == 0:
            continue
        st = setup.study(codes, d["date"], event_window=(int(d["window_start"]), int(d["window_end"])),
                         label=f"verified batch {d['batch']}")
        parts.append(verified.loc[verified["code"].isin(codes), ["code", "name", "board", "verified_batch"]]
                     .merge(st.difference[["code", "status", "car"]], on="code", how="left")
                     .assign(event=d["label"]))
    out = pd.concat(parts, ignore_index=True).rename(columns={"car": "car_minus_controls"})
    out["status"] = out["status"].fillna("not in prices")
    return out


def provincial_table(setup: ListedEventSetup, codes: pd.Series, notices: pd.DataFrame, area: pd.Series, *,
                     event_window: tuple[int, int], test_window: tuple[int, int]) -> pd.DataFrame:
    """Day-level matched tests around dated provincial notices: per notice, the ``codes`` registered in its
    province against matched controls, with Kolari-Pynnonen and GRANK tests and the placebo windows.

    Parameters
    ----------
    setup : ListedEventSetup
        The shared set-up (pools, placebo exclusions).
    codes : Series of str
        Candidate treated codes (e.g. the firms newly tagged in 2024-25).
    notices : DataFrame
        :func:`lgresearch.notices.provincial_notices` (``province, province_zh, date, source_url``).
    area : Series
        Province (Chinese name) by code.
    event_window, test_window : (int, int)
        Stored and tested windows in sessions.

    Returns
    -------
    DataFrame
        One row per notice: ``province, date, n_firms, n, car_minus_controls, ci_low_kp, ci_high_kp, p_kp,
        p_grank, placebo_effect, placebo_ci_low, placebo_ci_high, placebo_p, n_placebo, source_url``.

    Examples
    --------
    >>> provincial_table(None, pd.Series([], dtype=str), pd.DataFrame(), pd.Series([], dtype=str),
    ...                  event_window=(-5, 5), test_window=(-5, 1)).empty
    True
    """
    rows = []
    for _, nt in notices.iterrows():
        treated = codes[codes.map(area).eq(nt["province_zh"]).to_numpy()]
        st = setup.study(treated, nt["date"], event_window=event_window, label=f"{nt['province']} notice")
        tab = ev.test_car(st.difference, tests=["t", "kolari_pynnonen", "grank"], window=test_window)
        pl = setup.placebo(st, window=test_window)
        kp = tab.set_index("test").loc["kolari_pynnonen"]
        rows.append({"province": nt["province"], "date": nt["date"].date(), "n_firms": len(treated),
                     "n": int(kp["n"]), "car_minus_controls": kp["estimate"], "ci_low_kp": kp["ci_low"],
                     "ci_high_kp": kp["ci_high"], "p_kp": kp["p_value"],
                     "p_grank": tab.set_index("test").loc["grank", "p_value"], "placebo_effect": pl.effect,
                     "placebo_ci_low": pl.ci_low, "placebo_ci_high": pl.ci_high, "placebo_p": pl.p_value,
                     "n_placebo": pl.n_placebo, "source_url": nt["source_url"]})
    return mark_real(pd.DataFrame(rows), "provincial notices (sources in the table); spliced prices")


def _pooled_row(setup: ListedEventSetup, codes: Iterable[str], d: pd.Series, *, test_window: tuple[int, int],
                level: float, listed: dict[int, int]) -> dict:
    """One batch date of :func:`pooled_batch_table`."""
    window = (int(d["window_start"]), int(d["window_end"]))
    st = setup.study(codes, d["date"], event_window=window, label=d["label"])
    by_day = d["precision"] == "day"
    kp = ev.test_car(st.difference, tests=["kolari_pynnonen"], window=test_window if by_day else None,
                     level=level).iloc[0]
    # placebo inference only for dates not known to the day (read below only then)
    pl: Any = None if by_day else setup.placebo(st, own=d["event_session"], level=level)
    n_ok = int((st.difference["status"] == "ok").sum())
    share = min(1.0, listed[d["batch"]] / n_ok) if d["batch"] in listed and n_ok else np.nan
    eff, lo, hi = (kp["estimate"], kp["ci_low"], kp["ci_high"]) if by_day else (pl.effect, pl.ci_low, pl.ci_high)
    return {
        "event": d["label"], "batch": d["batch"], "precision": d["precision"],
        "window": f"[{test_window[0]}, {test_window[1]}]" if by_day else f"[{window[0]}, {window[1]}]",
        "inference": "Kolari-Pynnonen" if by_day else f"placebo ({pl.n_placebo} windows, {pl.interval_method})",
        "n_pooled": n_ok, "pooled_car": kp["estimate"], "effect": eff, "ci_low": lo, "ci_high": hi,
        "p": kp["p_value"] if by_day else pl.p_value, "pre_window": np.nan if by_day else pl.pre_estimate,
        "share_designated_max": share,
        "implied_per_firm": ev.implied_per_firm_effect(eff, share) if share == share else np.nan,
        "implied_if_10pct": ev.implied_per_firm_effect(eff, 0.10),
        "implied_if_25pct": ev.implied_per_firm_effect(eff, 0.25),
    }


def pooled_batch_table(setup: ListedEventSetup, codes: Iterable[str], *, test_window: tuple[int, int],
                       level: float, listed: dict[int, int]) -> pd.DataFrame:
    """The tagged set as a pooled portfolio around every batch date of ``setup.event_dates`` against matched
    controls: day windows by Kolari-Pynnonen, month windows by their placebo distribution; the share of pooled
    firms designated in the batch (at most ``listed[batch] / n``) and the per-firm effect it implies.

    Parameters
    ----------
    setup : ListedEventSetup
        The shared set-up.
    codes : iterable of str
        The pooled (tagged) codes.
    test_window : (int, int)
        Tested window around a date known to the day.
    level : float
        Confidence level of each interval (e.g. Bonferroni-adjusted for the number of dates).
    listed : dict of int to int
        Listed firms designated per batch (:func:`listed_in_batch`).

    Returns
    -------
    DataFrame
        One row per batch date with the estimate, interval, p-value, Holm-adjusted ``p_holm`` and the implied
        per-firm effects.

    Examples
    --------
    >>> setup = ListedEventSetup(panel, csi1000, sessions, universe, tagged, event_dates)  # doctest: +SKIP
    >>> pooled_batch_table(setup, tagged, test_window=(-1, 1), level=1 - 0.05 / 9,
    ...                    listed=listed_in_batch())  # doctest: +SKIP
    """
    dates = setup.event_dates.dropna(subset=["event_session"])
    rows = [_pooled_row(setup, codes, d, test_window=test_window, level=level, listed=listed)
            for _, d in dates.iterrows()]
    pooled = mark_real(pd.DataFrame(rows), "tagged firms vs matched untagged controls; spliced prices")
    pooled["p_holm"] = holm(pooled["p"].fillna(1.0))
    return pooled
