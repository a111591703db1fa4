"""The report site in a real browser: every page opened in headless Chromium (Debian's package, driven by
Playwright), failing on console errors, broken links or images, a traceback, or code shown unfolded.

A screenshot of each page is saved to ``$LGRESEARCH_SCREENSHOTS`` (default ``.test-artifacts/screenshots``).
The site comes from the session's single build of every notebook (tests/reports_build.py).
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pandas as pd
import pytest
from reports_build import built_reports  # noqa: F401 - session fixture

from lgresearch import paths, runner

pytestmark = pytest.mark.notebooks

CHROMIUM = os.environ.get("LGRESEARCH_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
#: Flags for a closed network and a throwaway profile (the profile is a fresh --user-data-dir per session).
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(os.environ.get("LGRESEARCH_SCREENSHOTS", paths.repo_root() / ".test-artifacts" / "screenshots"))


@pytest.fixture(scope="session")
def server(built_reports):  # noqa: F811
    assert built_reports.exit_code == 0, "the site build failed"
    handler = functools.partial(_QuietHandler, directory=str(built_reports.reports))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/", built_reports.reports
    httpd.shutdown()
    httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest's output readable
        pass


@pytest.fixture(scope="session")
def browser_context(tmp_path_factory):
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's package (apt-get install -y chromium); "
                    ".ci/run does this")
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_api.sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS,
            viewport={"width": 1280, "height": 900}, service_workers="block")
        yield ctx
        ctx.close()


def _pages(root: Path) -> list[str]:
    skip = {"genindex.html", "py-modindex.html"}  # generated indexes: checked through their links elsewhere
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.html")
                  if not any(part.startswith((".", "_")) for part in p.relative_to(root).parts) and p.name not in skip)


def _ids(root: Path, page: str) -> set[str]:
    text = (root / page).read_text(encoding="utf-8", errors="replace")
    return set(re.findall(r'\bid="([^"]+)"', text))


def _open(ctx, url: str):
    page = ctx.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: errors.append(f"request failed: {r.url} ({r.failure})"))
    response = page.goto(url, wait_until="load")
    assert response is not None and response.ok, f"{url}: HTTP {response.status if response else 'no response'}"
    page.wait_for_load_state("networkidle")
    return page, errors


def _check_links(page, base: str, root: Path, url: str) -> list[str]:
    problems = []
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    for href in hrefs:
        target = urlparse(urljoin(url, href))
        if target.scheme not in ("http", "") or not urljoin(url, href).startswith(base):
            continue
        rel = unquote(target.path[len(urlparse(base).path):]) or "index.html"
        if rel.endswith("/"):
            rel += "index.html"
        if not (root / rel).exists():
            problems.append(f"broken link {href!r} on {url}")
        elif (target.fragment and rel.endswith(".html") and not rel.startswith("api/")
              and target.fragment not in _ids(root, rel)):
            # anchors are checked on the reports and the landing page (the ledger's links); API pages carry
            # docutils' own "#idN" links to suppressed docstring markup messages
            problems.append(f"link {href!r} on {url}: no element with id {target.fragment!r}")
    return problems


def test_every_page_opens_cleanly_in_chromium(server, browser_context):
    base, root = server
    pages = _pages(root)
    assert "index.html" in pages and len(pages) >= 10
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    reports = {p.stem for p in runner.notebook_files()}
    for rel in pages:
        url = urljoin(base, rel)
        page, errors = _open(browser_context, url)
        problems += [f"{rel}: {e}" for e in errors]
        problems += _check_links(page, base, root, url)
        broken = page.eval_on_selector_all(
            "img", "els => els.filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)")
        problems += [f"{rel}: broken image {src}" for src in broken]
        # a notebook error shows as a traceback output; API pages may quote one in a doctest example
        text = page.inner_text("body") if not rel.startswith("api/") else ""
        if "Traceback (most recent call last)" in text or page.locator(".output.traceback, .output.error").count():
            problems.append(f"{rel}: shows a traceback")
        if Path(rel).stem in reports:
            shown = page.locator("div.cell_input").filter(visible=True).count()
            if shown:
                problems.append(f"{rel}: {shown} code cell(s) shown unfolded")
        page.screenshot(path=str(SCREENSHOTS / (rel.replace("/", "__") + ".png")), full_page=False)
        page.close()
    print(f"screenshots of {len(pages)} pages in {SCREENSHOTS}")
    assert not problems, "\n".join(problems[:60])


def test_landing_page_ledger_links_every_claim_to_its_verdict_row(server, browser_context):
    base, root = server
    page, errors = _open(browser_context, base + "index.html")
    assert not errors, errors
    claims = pd.read_csv(root / "claims.csv", dtype=str, keep_default_na=False)
    rows = page.locator("table.lg-ledger tbody tr")
    assert rows.count() == len(claims)
    headers = page.locator("table.lg-ledger thead th").all_inner_texts()
    for col in ("claim", "verdict", "estimate", "interval", "data"):
        assert col in headers
    if "method" in claims.columns:
        assert "method" in headers
    assert page.locator("table.lg-ledger .verdict-badge").count() == len(claims)
    assert page.locator("input[type=search], form[action*=search] input, .search-button, button[aria-label*=earch]"
                        ).count() >= 1, "no search box"
    body = page.inner_text("body")
    assert "How to reproduce" in body and "Data availability" in body
    # follow the first claim: its report opens at the verdict row, with the claim in full
    first = claims.iloc[0]
    page.locator("table.lg-ledger tbody tr").first.locator("a").first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith(f"{first['notebook']}.html#claim-{first['notebook']}-1")
    assert first["claim"] in page.inner_text(f"#claim-{first['notebook']}-1")
    page.close()


def test_report_page_folds_code_numbers_figures_and_links_their_data(server, browser_context):
    base, root = server
    page, errors = _open(browser_context, base + "06_selection_vs_treatment.html")
    assert not errors, errors
    code = page.locator("div.cell_input").first
    assert not code.is_visible()
    page.locator("details.hide summary").first.click()  # one click shows the code
    assert code.is_visible()
    figures = page.locator("figure")
    assert figures.count() >= 3
    first = figures.first
    assert "Figure 1" in first.locator("figcaption").inner_text()
    assert first.locator("img").get_attribute("alt")
    link = first.locator("a", has_text="Download the data")
    href = link.get_attribute("href")
    data = pd.read_csv(root / unquote(urlparse(urljoin(page.url, href)).path.lstrip("/")))
    assert len(data) > 0
    caption = first.locator("figcaption").inner_text()
    assert caption.count("SIMULATED DATA") == 1, caption
    assert page.locator("a", has_text="Next").count() + page.locator(".prev-next-area a").count() >= 1
    see_also = page.locator("#see-also a")
    assert see_also.count() >= 3 and any("lgresearch.did" in t for t in see_also.all_inner_texts())
    body = page.inner_text("body")
    assert body.count("Data this report ran on") == 1 and "\\n" not in body.split("Data this report ran on")[1][:300]
    page.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_pages_read_without_horizontal_scrolling(server, browser_context, width):
    base, _ = server
    for rel in ["index.html"] + [f"{p.stem}.html" for p in runner.notebook_files()]:
        page, _ = _open(browser_context, base + rel)
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(200)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{rel} scrolls sideways by {overflow}px at {width}px"
        page.screenshot(path=str(SCREENSHOTS / f"{rel}.{width}px.png"))
        page.close()
