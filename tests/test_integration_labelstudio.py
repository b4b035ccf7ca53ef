"""The whole retraining loop against a real Label Studio server (`make test-integration`; CI runs it).

Installs the `label-studio` server in its own virtual environment (cached in .cache/), starts it on
127.0.0.1 with a temporary data directory and a headless user, turns legacy API tokens on through
the server's own API (Label Studio 1.23 disables them for new organizations), then:
export → push → an annotation created through the API → pull → retrain on the pulled data (a short
run) → evaluate. Skips only when the server cannot be installed, and says why.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT, need_corpus

pytestmark = pytest.mark.integration
LS_VERSION = "1.23.2"
VENV = ROOT / ".cache" / f"label-studio-{LS_VERSION}"
USER, PASSWORD, TOKEN = "xxgk@example.org", "xxgk-Passw0rd", "5f2b9c1e7a4d4e0b8c3a6f9d2e1b7c4a9f0e3d21"


def install_server() -> Path:
    exe = VENV / "bin" / "label-studio"
    if exe.exists():
        return exe
    try:
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True, capture_output=True, timeout=300)
        run = subprocess.run([str(VENV / "bin" / "pip"), "install", "-q", f"label-studio=={LS_VERSION}"],
                             capture_output=True, text=True, timeout=1500)
    except (subprocess.SubprocessError, OSError) as exc:
        shutil.rmtree(VENV, ignore_errors=True)
        pytest.skip(f"label-studio server cannot be installed: {exc}")
    if run.returncode != 0 or not exe.exists():
        shutil.rmtree(VENV, ignore_errors=True)
        pytest.skip(f"label-studio server cannot be installed: {run.stderr.strip()[-500:]}")
    return exe


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    need_corpus()
    exe = install_server()
    data_dir = tmp_path_factory.mktemp("ls-data")
    port = free_port()
    env = {**os.environ, "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir), "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true"}
    log = (data_dir / "server.log").open("w")
    proc = subprocess.Popen([str(exe), "start", "--no-browser", "--host", "127.0.0.1", "--port", str(port),
                             "--username", USER, "--password", PASSWORD, "--user-token", TOKEN],
                            env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    import requests

    deadline = time.time() + 300
    while time.time() < deadline:
        try:
            if requests.get(url + "/health", timeout=2).status_code == 200:
                break
        except requests.RequestException:
            pass
        if proc.poll() is not None:
            raise AssertionError(f"label-studio exited: {(data_dir / 'server.log').read_text()[-2000:]}")
        time.sleep(2)
    else:
        proc.kill()
        raise AssertionError("label-studio did not come up within 300 s")
    enable_legacy_tokens(url)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def enable_legacy_tokens(url: str) -> None:
    """Log in as the headless user (a Django session) and switch legacy tokens on for its organization."""
    import requests

    session = requests.Session()
    session.get(url + "/user/login/", timeout=30)
    response = session.post(url + "/user/login/", timeout=30, allow_redirects=False,
                            data={"email": USER, "password": PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
                            headers={"Referer": url + "/user/login/"})
    assert response.status_code == 302, response.text[:500]
    response = session.post(url + "/api/jwt/settings", timeout=30, headers={"X-CSRFToken": session.cookies["csrftoken"],
                                                                           "Referer": url},
                            json={"legacy_api_tokens_enabled": True, "api_tokens_enabled": True, "api_token_ttl_days": 30})
    assert response.status_code == 200 and response.json()["legacy_api_tokens_enabled"], response.text[:500]


def xxgk(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    run = subprocess.run([sys.executable, "-m", "extractor", *args], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, **(env or {})}, timeout=1800)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    return run


def test_round_trip_push_annotate_pull_retrain_evaluate(server, tmp_path):
    from extractor.tagger import DEFAULT_MODEL

    env = {"LABEL_STUDIO_URL": server, "LABEL_STUDIO_API_KEY": TOKEN}
    report = CORPUS / "pages" / "p008.txt"
    tasks_file = tmp_path / "tasks.json"
    model_args = [] if (DEFAULT_MODEL / "config.json").exists() else ["--no-model"]
    xxgk("ls", "export", str(report), "-o", str(tasks_file), *model_args)
    tasks = json.loads(tasks_file.read_text(encoding="utf-8"))
    assert tasks and tasks[0]["data"]["corpus_path"] == "pages/p008.txt"
    if model_args == []:
        assert tasks[0]["predictions"][0]["model_version"].startswith("xxgk-tagger@")
    out = xxgk("ls", "push", str(tasks_file), "--project", "xxgk integration", env=env).stdout
    assert f"imported {len(tasks)} tasks" in out

    # an annotator labels a quantity of the first task through the API
    from training.labelstudio import client, find_or_create_project
    from training.standoff import Span, span_results

    ls = client(server, TOKEN)
    project = find_or_create_project(ls, "xxgk integration")
    task = next(iter(ls.tasks.list(project=project, fields="all")))
    text = task.data["text"]
    from extractor.numbers import find_quantities, parse_quantity

    a, b = find_quantities(text)[0]
    q = parse_quantity(text[a:b])
    ls.annotations.create(id=task.id, result=span_results([Span(a, b, "PUB_TOTAL", q.value, q.approx, text[a:b])]))

    annotations = tmp_path / "annotations"
    shutil.copytree(ROOT / "annotations", annotations, ignore=shutil.ignore_patterns("pulled"))
    xxgk("ls", "pull", "--project", "xxgk integration", "--into", str(annotations / "pulled"), env=env)
    (pull_file,) = (annotations / "pulled").glob("pull-*.json")
    pulled = json.loads(pull_file.read_text(encoding="utf-8"))["tasks"]
    assert len(pulled) == 1 and pulled[0]["corpus_path"] == "pages/p008.txt" and "text" not in pulled[0]
    offset = task.data["offset"]
    raw = report.read_bytes().decode("utf-8")
    (span,) = pulled[0]["spans"]
    assert raw[span["start"]:span["end"]] == text[a:b] and span["start"] == offset + a

    # retrain on the pulled data (a short run) and evaluate the new model on the benchmark
    current = tmp_path / "current"
    if (DEFAULT_MODEL / "config.json").exists():
        shutil.copytree(DEFAULT_MODEL, current)
    run = subprocess.run([sys.executable, "-m", "training.retrain", "--annotations", str(annotations), "--model", str(current),
                          "--candidate", str(tmp_path / "candidate"), "--epochs", "1", "--max-texts", "4"],
                         capture_output=True, text=True, cwd=ROOT, timeout=1800)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "old" in run.stdout and "new" in run.stdout
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert 0.0 <= result["new_f1"] <= 1.0
    scores = xxgk("evaluate", "--model", str(tmp_path / "candidate"), "--json").stdout
    assert json.loads(scores)["texts"] >= 30
