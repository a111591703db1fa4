"""Benchmark: reading and cleaning designation lists, and normalizing company names.

Targets (issue 3): a 20,000-row list in each format read and cleaned (seconds per format printed); 100,000 names
normalized in under 1 s. Issue 9: a 100,000-row csv list with a city column read in at most twice the time of the
same list without it (ratio printed; the city lookup is a dict lookup per unique (province, city) pair).
Baselines measured in the same run: ``pandas.read_csv`` of the same CSV (raw parse,
no cleaning) for the readers, and a plain per-name loop (NFKC + OpenCC one call per name) for normalization.

Run: ``python benchmarks/bench_designations.py [N_ROWS]`` (default 20,000). Nothing here is a test.
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lgresearch.clean import core_name, normalize_company_name  # noqa: E402
from lgresearch.designations import read_list  # noqa: E402

_spec = importlib.util.spec_from_file_location(
    "designation_fixtures", ROOT / "tests" / "fixtures" / "designations" / "make_fixtures.py")
mf = importlib.util.module_from_spec(_spec)
sys.modules["designation_fixtures"] = mf
_spec.loader.exec_module(mf)


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return time.perf_counter() - t0, out


def bench_readers(n_rows: int, folder: Path) -> None:
    lay = mf.big_layout(n_rows)
    writers = {
        "csv (utf-8)": lambda: mf.write_csv(lay, folder / "big.csv"),
        "csv (gbk)": lambda: mf.write_csv(lay, folder / "big_gbk.csv", "gbk"),
        "xlsx": lambda: mf.write_xlsx(lay, folder / "big.xlsx"),
        "xls": lambda: mf.write_xls(lay, folder / "big.xls"),
        "html": lambda: mf.write_html(lay, folder / "big.html"),
        "docx": lambda: mf.write_docx(lay, folder / "big.docx"),
        "pdf": lambda: mf.write_pdf(lay, folder / "big.pdf", rows_per_page=45),
    }
    print(f"== read_list on a {n_rows:,}-row list (read + clean + ledger)")
    base, _ = timed(pd.read_csv, folder / "big.csv" if (folder / "big.csv").exists()
                    else writers["csv (utf-8)"](), dtype=str, header=None, skiprows=2)
    print(f"baseline pandas.read_csv (parse only): {base:7.3f} s")
    print(f"{'format':12s} {'write s':>8s} {'read s':>8s} {'x baseline':>10s} {'rows kept':>10s}")
    for fmt, write in writers.items():
        w, path = timed(write)
        r, (frame, led) = timed(read_list, path, return_ledger=True)
        kept = int((led.frame()["outcome"] == "kept").sum())
        assert kept == n_rows == len(frame), (fmt, kept, len(frame))
        print(f"{fmt:12s} {w:8.2f} {r:8.2f} {r / base:10.1f} {kept:10,d}")


def _naive_normalize(names: list[str]) -> list[str]:
    import opencc

    cc = opencc.OpenCC("t2s")
    return [cc.convert(unicodedata.normalize("NFKC", n)).replace(" ", "") for n in names]


def bench_names(n: int = 100_000) -> None:
    rng = np.random.default_rng(0)
    base = [x for names in mf.ZHEJIANG.values() for x in names] + mf.FOSHAN + list(mf.BATCH1.values())
    chars = list("华为技術科创新杭州宁波光電精密机械智能材料电子生物医药制造深圳中兴通讯大疆星辰海洋")
    names = []
    for i in range(n):
        b = base[i % len(base)]
        brand = "".join(rng.choice(chars, 3))
        decor = ["", " *", "※", "（注1）", " ", "　"][i % 6]
        b = b[:2] + brand + b[2:] + decor
        if i % 5 == 0:
            b = b.replace("(", "（").replace("有限公司", "有限公司 ")
        if i % 7 == 0:
            b = unicodedata.normalize("NFKC", b).translate({ord(c): ord(c) + 0xFEE0 for c in "()"})
        names.append(b)
    s = pd.Series(names)
    print(f"== names: {n:,} names, {s.nunique():,} distinct")
    t_base, _ = timed(_naive_normalize, names)
    t_norm, out = timed(normalize_company_name, s)
    assert out.notna().all()
    t_core, _ = timed(core_name, pd.concat([s, s], ignore_index=True))
    print(f"baseline loop (NFKC + OpenCC per name): {t_base:6.3f} s")
    print(f"normalize_company_name:                 {t_norm:6.3f} s  ({t_norm / t_base:.2f} x baseline; "
          f"target < 1 s: {'OK' if t_norm < 1 else 'MISSED'})")
    print(f"core_name on {2 * n:,} names:            {t_core:6.3f} s")


def _city_layouts(n: int):
    """The same n-row list twice: (province) and (province, city); cities vary within each province."""
    from lgresearch.clean.regions import CITIES, PROVINCES

    base = [x for names in mf.ZHEJIANG.values() for x in names] + mf.FOSHAN + list(mf.BATCH1.values())
    pairs = [(PROVINCES[c.province_code][1], c.city) for c in CITIES.itertuples() if c.province_code != "66"]
    title = ("title", ["第六批专精特新“小巨人”企业名单公示"])
    plain = [title, ("header", ["序号", "企业名称", "统一社会信用代码", "省份"])]
    city = [title, ("header", ["序号", "企业名称", "统一社会信用代码", "省份", "城市"])]
    for i in range(n):
        name = base[i % len(base)]
        name = f"{name[:4]}{i:05d}{name[4:]}"
        prov, cty = pairs[(i * 7) % len(pairs)]
        cells = [str(i + 1), name, mf.make_uscc(i), prov]
        plain.append(("data", cells))
        city.append(("data", cells + [cty]))
    return mf.Layout(f"plain_{n}", plain), mf.Layout(f"city_{n}", city)


def bench_city_column(n: int, folder: Path) -> None:
    plain, city = _city_layouts(n)
    p_plain = mf.write_csv(plain, folder / "plain.csv")
    p_city = mf.write_csv(city, folder / "city.csv")
    t_plain, f_plain = timed(read_list, p_plain)
    t_city, f_city = timed(read_list, p_city)
    assert len(f_plain) == len(f_city) == n, (len(f_plain), len(f_city))
    assert f_city["city"].notna().all(), int(f_city["city"].isna().sum())
    ratio = t_city / t_plain
    print(f"== city column: read_list on a {n:,}-row csv list")
    print(f"without a city column: {t_plain:7.2f} s")
    verdict = "OK" if ratio <= 2 else "MISSED"
    print(f"with a city column:    {t_city:7.2f} s  (ratio {ratio:.2f}; target <= 2: {verdict})")


if __name__ == "__main__":
    n_rows = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    bench_names()
    with tempfile.TemporaryDirectory() as tmp:
        bench_city_column(100_000, Path(tmp))
    with tempfile.TemporaryDirectory() as tmp:
        bench_readers(n_rows, Path(tmp))
