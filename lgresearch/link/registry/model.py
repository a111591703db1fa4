"""The Splink model of :func:`lgresearch.link.link_to_registry`: settings, u and m training.

Pairs are blocked on USCC, normalised name, core × province and core × industry words, and compared on the name
(exact normalised / exact stem / exact core / Levenshtein-close core), the industry words, the province and the
USCC. ``u`` probabilities come from random pairs, ``m`` probabilities from expectation maximisation (or from
labelled pairs).

Examples
--------
>>> _label_pairs(pd.DataFrame({"firm_id": [1], "registry_id": ["R1"]}))["unique_id_r"].tolist()
['R1']
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from lgresearch.ledger import InputError

__all__: list[str] = []


def _settings(*, province: bool, uscc: bool, prior: float) -> Any:
    """Splink settings: blocking rules and comparisons on the name features."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    name = cl.CustomComparison(output_column_name="company_name", comparison_levels=[
        cll.CustomLevel("norm_l IS NULL OR norm_r IS NULL", "name missing").configure(is_null_level=True),
        cll.CustomLevel("norm_l = norm_r", "exact normalised name"),
        cll.CustomLevel("stem_l = stem_r", "exact stem"),
        cll.CustomLevel("core_l = core_r", "exact core"),
        cll.LevenshteinLevel("core", 1),
        cll.ElseLevel()])
    industry = cl.CustomComparison(output_column_name="industry", comparison_levels=[
        cll.NullLevel("industry"),
        cll.ExactMatchLevel("industry"),
        cll.CustomLevel("instr(industry_l, industry_r) > 0 OR instr(industry_r, industry_l) > 0",
                        "one set of industry words contains the other"),
        cll.ElseLevel()])
    comparisons: list[Any] = [name, industry]  # splink's list parameters are invariant in its annotations
    rules: list[Any] = [block_on("norm"), block_on("core", "industry")]
    if province:
        comparisons.append(cl.CustomComparison(output_column_name="province", comparison_levels=[
            cll.NullLevel("province_code"), cll.ExactMatchLevel("province_code"), cll.ElseLevel()]))
        rules.append(block_on("core", "province_code"))
    else:
        rules.append(block_on("core"))
    if uscc:
        comparisons.append(cl.CustomComparison(output_column_name="uscc", comparison_levels=[
            cll.NullLevel("uscc"), cll.ExactMatchLevel("uscc"), cll.ElseLevel()]))
        rules.insert(0, block_on("uscc"))
    return SettingsCreator(link_type="link_only", unique_id_column_name="unique_id",
                           probability_two_random_records_match=prior, comparisons=comparisons,
                           blocking_rules_to_generate_predictions=rules, retain_matching_columns=True,
                           retain_intermediate_calculation_columns=False, additional_columns_to_retain=["name"])


def _copy_u(source: Any, target: Any) -> None:
    """Copy trained u probabilities between two linkers built from the same settings."""
    for c_src, c_dst in zip(source._settings_obj.comparisons, target._settings_obj.comparisons, strict=True):
        for l_src, l_dst in zip(c_src.comparison_levels, c_dst.comparison_levels, strict=True):
            if not l_src.is_null_level:
                l_dst._u_probability = l_src._u_probability


def _train(linker: Any, *, province: bool, labels_table: str | None) -> None:
    """m from labelled pairs, else by EM in two sessions (see the comments); u is already set."""
    from splink import block_on

    if labels_table is not None:
        linker.training.estimate_m_from_pairwise_labels(labels_table)
        return
    # Two sessions, each blocked on the core's first character (not compared) and one compared column. The first
    # blocks on the industry words too, so same-core firms of other industries (the usual false candidates) are
    # absent and EM learns the name and province levels with λ free; the second, within provinces, learns the
    # industry levels with λ held at the prior, so that only strong name evidence counts as a match there (with
    # λ free, EM would take every same-core firm for a match: the comparisons are not independent).
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("core_head", "industry"))
    if province:
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on("core_head", "province_code"), fix_probability_two_random_records_match=True)


def _bound_unobserved_u(linker: Any, n_pairs: float) -> None:
    """A level never seen among ``n_pairs`` random pairs (an equal name or stem in a large registry) gets
    u = 1 / n_pairs, the sample's resolution, instead of Splink's default (which would let EM prefer weaker levels)."""
    for comparison in linker._settings_obj.comparisons:
        for level in comparison.comparison_levels:
            if not level.is_null_level and not isinstance(level._u_probability, float):
                level.u_probability = 1.0 / max(n_pairs, 1.0)


def _label_pairs(labels: pd.DataFrame) -> pd.DataFrame:
    missing = {"firm_id", "registry_id"} - set(labels.columns)
    if missing:
        raise InputError("labels", None, sorted(missing)[0], "no such column; give one row per known link with "
                         "columns firm_id and registry_id.")
    return pd.DataFrame({"source_dataset_l": "firms", "unique_id_l": labels["firm_id"].astype(str).to_numpy(),
                         "source_dataset_r": "registry",
                         "unique_id_r": labels["registry_id"].astype(str).to_numpy(),
                         "clerical_match_score": 1.0}, dtype=object)


def _fit_predict(api: Any, tables: list, rows: tuple[int, int], *, n_firms: int, province: bool, uscc: bool,
                 link_share: float, max_pairs: float, seed: int, labels: pd.DataFrame | None) -> pd.DataFrame:
    """Train the model (u from random pairs, m by EM or from labels) and predict the candidate pairs.

    ``tables`` are the engine's list firms, registry candidates and registry sample; ``rows`` the registry's
    total and sampled rows.
    """
    from splink import Linker

    n_total, n_sample = rows
    prior = min(0.5, max(link_share, 1e-6) / max(n_total, 1))
    settings = _settings(province=province, uscc=uscc, prior=prior)
    # u from random pairs of list firms and the registry sample (not the candidates, which hold the true
    # matches); below all pairs: Splink's all-pairs path fails on Spark 3.5 ("key not found")
    u_linker = Linker([tables[0], tables[2]], settings, api, input_table_aliases=["firms_u", "registry_u"],
                      set_up_basic_logging=False)
    u_pairs = min(max_pairs, 0.8 * n_firms * max(n_sample, 1))
    u_linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=seed)
    linker = Linker(tables[:2], settings, api, input_table_aliases=["firms", "registry"],
                    set_up_basic_logging=False)
    _copy_u(u_linker, linker)
    _bound_unobserved_u(linker, u_pairs)
    labels_table = None
    if labels is not None:
        linker.table_management.register_table(_label_pairs(labels), "lg_labels", overwrite=True)
        labels_table = "lg_labels"
    _train(linker, province=province, labels_table=labels_table)
    return linker.inference.predict().as_pandas_dataframe()
