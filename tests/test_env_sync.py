"""pyproject.toml is the single source of truth; the lock and environment.yml must not drift from it."""

import re
import tomllib

import yaml

from lgresearch import paths

ROOT = paths.repo_root()


def _pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _lock() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements-lock.txt").read_text().splitlines():
        m = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;]+)", line)
        if m:
            pins[_norm(m.group(1))] = m.group(2)
    return pins


def test_every_declared_dependency_is_locked():
    proj = _pyproject()["project"]
    declared = list(proj["dependencies"])
    for extra in proj["optional-dependencies"].values():
        declared += extra
    lock = _lock()
    missing = [d for d in declared if _norm(re.split(r"[<>=!~;\[ ]", d, maxsplit=1)[0]) not in lock]
    assert not missing, f"not in requirements-lock.txt (run `make lock`): {missing}"


def test_key_pins():
    lock = _lock()
    assert lock["pyfixest"].startswith("0.60.")
    major, minor = (int(x) for x in lock["matplotlib"].split(".")[:2])
    assert (major, minor) < (3, 13)
    assert int(lock["pandas"].split(".")[0]) >= 2


def test_environment_yml_installs_the_lock_and_nothing_else():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    conda = [d for d in deps if isinstance(d, str)]
    pip = next(d["pip"] for d in deps if isinstance(d, dict) and "pip" in d)
    py = [d for d in conda if d.startswith("python")]
    assert len(py) == 1
    floor = _pyproject()["project"]["requires-python"].lstrip(">=")
    assert py[0].split("=")[-1].startswith(floor.split(".")[0] + "." + floor.split(".")[1])
    assert sorted(c for c in conda if not c.startswith("python")) == ["pip"], "conda lists packages of its own"
    assert pip == ["-r requirements-lock.txt", "-e ."]


def test_readme_quick_start_is_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## Quick start", 1)[1].split("```", 2)[1]
    commands = [ln for ln in block.splitlines()[1:] if ln.strip() and not ln.strip().startswith("#")]
    assert commands == ["make reproduce", "make test"]
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci
