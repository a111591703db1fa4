"""`make lab`'s setup works headless: a Jupyter server opens a py:percent notebook as a notebook (jupytext) through
its REST API and runs a cell on the project's kernel."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from lgresearch import paths

NOTEBOOK = "01_program_scale.py"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _api(base: str, token: str, path: str, method: str = "GET", body: dict | None = None) -> dict:
    req = urllib.request.Request(f"{base}{path}", method=method,
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": f"token {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        return json.loads(resp.read() or b"{}")


@pytest.fixture(scope="module")
def lab_server(tmp_path_factory):
    jupyter = Path(sys.executable).with_name("jupyter")
    if not jupyter.exists():
        pytest.fail(f"{jupyter} missing: `make bootstrap` installs JupyterLab (the notebooks extra)")
    port, token = _free_port(), secrets.token_hex(16)
    home = tmp_path_factory.mktemp("lab-home")
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(home / "runtime"), "JUPYTER_DATA_DIR": str(home / "data"),
           "MPLBACKEND": "Agg"}
    proc = subprocess.Popen(
        [str(jupyter), "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={paths.notebooks_dir()}"]
        + (["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []),
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            _api(base, token, "/api/status")
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"jupyter lab exited: {proc.stderr.read()[-2000:]}")
            time.sleep(0.5)
    else:
        proc.terminate()
        pytest.fail("jupyter lab did not answer within 90 s")
    yield base, token
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_percent_file_opens_as_a_notebook_with_the_project_kernel(lab_server):
    base, token = lab_server
    model = _api(base, token, f"/api/contents/{NOTEBOOK}?type=notebook&content=1")
    assert model["type"] == "notebook"
    cells = model["content"]["cells"]
    assert len(cells) > 5 and any(c["cell_type"] == "markdown" for c in cells)
    assert model["content"]["metadata"]["kernelspec"]["name"] == "python3"
    specs = _api(base, token, "/api/kernelspecs")
    assert "python3" in specs["kernelspecs"]


def test_a_cell_runs_on_the_project_kernel(lab_server):
    tornado_ws = pytest.importorskip("tornado.websocket")
    base, token = lab_server
    session = _api(base, token, "/api/sessions", "POST",
                   {"path": NOTEBOOK, "type": "notebook", "name": NOTEBOOK, "kernel": {"name": "python3"}})
    kernel = session["kernel"]["id"]
    code = "import sys, lgresearch.report as r\nprint(sys.prefix, r.VERDICTS[0], 6 * 7)"

    async def run() -> str:
        ws = await tornado_ws.websocket_connect(
            f"{base.replace('http', 'ws')}/api/kernels/{kernel}/channels?token={token}")
        msg_id = uuid.uuid4().hex
        ws.write_message(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "test", "session": msg_id,
                       "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell",
            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True}}))
        out = []
        while True:
            raw = await asyncio.wait_for(ws.read_message(), timeout=120)
            msg = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "stream":
                out.append(msg["content"]["text"])
            if msg["msg_type"] == "error":
                return "ERROR " + msg["content"]["evalue"]
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                ws.close()
                return "".join(out)

    from concurrent.futures import ThreadPoolExecutor

    try:
        # a thread of its own: another test's browser driver may hold this thread's event loop
        with ThreadPoolExecutor(max_workers=1) as pool:
            text = pool.submit(lambda: asyncio.run(run())).result()
    finally:
        _api(base, token, f"/api/sessions/{session['id']}", "DELETE")
    assert text.split() == [sys.prefix, "supported", "42"], text
