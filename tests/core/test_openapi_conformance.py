"""The server keeps the promises of ``colab_ext/openapi.yaml``: schemathesis, against a real server.

For every operation of the OpenAPI file, schemathesis generates requests from the file itself:
valid ones (every status then must be documented, with its content type and a body that matches
its schema) and ones that break the schema (those must be refused with a 4xx, never accepted).
No answer may be a 5xx. Each operation gets a fresh Jupyter server with colab-ext, the fake
GitHub and the fake Drive behind it, so that requests reach past "not connected":

- GitHub routes run connected to the fake GitHub (random tokens, repos and paths then meet
  GitHub's own refusals, mapped to our statuses);
- Drive's file routes run as a service account of the fake Drive; Drive's mount routes run
  unconnected, so that no FUSE mount is started in a loop;
- kernels are not started: a kernel id is a 404, and no runtime switch restarts anything.

``COLAB_EXT_SCHEMATHESIS_EXAMPLES`` sets the examples per operation and mode (default 25; the
run is derandomized, so CI sees the same requests every time). A failure lists each distinct
problem once, with a curl line that reproduces it (the token filtered out).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
from importlib.resources import files
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.drive.fake_drive import FakeDrive
from tests.github.fake_github import FakeGitHub

EXAMPLES = int(os.environ.get("COLAB_EXT_SCHEMATHESIS_EXAMPLES", "25"))

GITHUB_TOKEN = "ghp_conformance_0123456789abcdef"

SPEC = schemathesis.openapi.from_path(str(files("colab_ext").joinpath("openapi.yaml")))
# Requests carry the server token (added at each call), not values made up for it; and extra
# query parameters are not counted as a violation: HTTP routes ignore those, as every server does.
SPEC.config.generation.update(with_security_parameters=False, allow_extra_parameters=False)
OPERATIONS = {result.ok().label: result.ok() for result in SPEC.get_all_operations()}

#: What every answer is checked for; refused-when-invalid only for schema-violating requests.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def notebook() -> str:
    cell = {
        "cell_type": "code",
        "execution_count": None,
        "id": "cell-1",
        "metadata": {},
        "outputs": [],
        "source": "1 + 1",
    }
    return json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


@pytest.fixture(params=sorted(OPERATIONS))
def operation(request: pytest.FixtureRequest) -> Any:
    return OPERATIONS[request.param]


@pytest.fixture
def fake_github() -> Any:
    with FakeGitHub({GITHUB_TOKEN: "octo"}) as fake:
        fake.add_repo("octo/notebooks", {"nb/analysis.ipynb": notebook().encode()})
        yield fake


@pytest.fixture
def fake_drive() -> Any:
    fake = FakeDrive().start()
    fake.add_file("data.csv", b"a,b\n1,2\n")
    yield fake
    fake.stop()


@pytest.fixture
def colab_config(
    operation: Any, fake_github: FakeGitHub, fake_drive: FakeDrive, tmp_path: Path
) -> dict[str, Any]:
    config: dict[str, Any] = {
        "github_api_url": fake_github.url,
        "github_web_url": fake_github.url,
        "github_token_path": str(tmp_path / "secrets" / "github_token.json"),
        "github_oauth_client_id": "Iv1.fakeclient",
        "github_seconds_between_requests": 0.0,
        "github_seconds_between_writes": 0.0,
        "github_retries": 0,
        "github_timeout": 10.0,
        "drive_api_endpoint": f"{fake_drive.url}/drive/v3/",
        "drive_revoke_uri": f"{fake_drive.url}/revoke",
        # A drive.mount() waiting for the user to connect Drive: not for long here.
        "drive_connect_wait_s": 0.2,
    }
    if operation.path in ("/drive/files", "/drive/open", "/drive/save", "/drive/jobs/{job_id}"):
        key = tmp_path / "service-account.json"
        key.write_text(json.dumps(fake_drive.service_account()))
        config["drive_service_account_file"] = str(key)
    return config


@pytest.fixture(autouse=True)
def no_github_token_in_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)


def exercise(
    operation: Any, base_url: str, headers: dict[str, str], known: dict[str, str]
) -> list[str]:
    """Run schemathesis on one operation (blocking: in a worker thread while the server runs on
    the test's event loop); one report per distinct problem found. ``known``: path parameters
    that name something real (a running kernel), for one more pass that gets past the 404."""
    found: dict[str, str] = {}

    def check(case: Any, checks: list[Any]) -> None:
        try:
            case.call_and_validate(base_url=base_url, headers=headers, checks=checks, timeout=30)
        except FailureGroup as group:
            report = str(group)
            for failure in group.exceptions:
                key = f"{failure.title} ({getattr(failure, 'status_code', '')})"
                if key not in found and report not in found.values():
                    found[key] = report

    def fuzz(mode: GenerationMode, checks: list[Any], **fixed: Any) -> None:
        @hypothesis.settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(hypothesis.HealthCheck),
            phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
        )
        @hypothesis.given(case=operation.as_strategy(generation_mode=mode, **fixed))
        def run(case: Any) -> None:
            check(case, checks)

        run()

    fuzz(GenerationMode.POSITIVE, CHECKS)
    if known:
        fuzz(GenerationMode.POSITIVE, CHECKS, path_parameters=known)
    with contextlib.suppress(Unsatisfiable):  # nothing in its requests can break the schema
        fuzz(GenerationMode.NEGATIVE, [*CHECKS, negative_data_rejection])
    return list(found.values())


async def prepare(operation: Any, jp_fetch: Any, root: Path) -> dict[str, str]:
    """What the operation needs to go past its first refusal (notebooks, a connection to the
    fake GitHub, a kernel), and the path parameters that name something real."""
    (root / "folder").mkdir()
    (root / "folder" / "notebook.ipynb").write_text(notebook())
    (root / "notebook.ipynb").write_text(notebook())
    if operation.path.startswith("/github/") and operation.method != "put":
        await jp_fetch(
            "colab", "github", "account", method="PUT", body=json.dumps({"token": GITHUB_TOKEN})
        )
    if operation.label == "GET /runtime/kernels/{kernel_id}/type":
        response = await jp_fetch("api", "kernels", method="POST", body="{}")
        return {"kernel_id": json.loads(response.body)["id"]}
    return {}


async def test_operation_keeps_the_openapi_contract(
    operation: Any,
    nvml: Any,
    jp_fetch: Any,
    jp_root_dir: Path,
    jp_http_port: int,
    jp_base_url: str,
    jp_auth_header: dict[str, str],
) -> None:
    nvml(gpus=[{"name": "NVIDIA H100 80GB HBM3", "mem_used": 2 << 30}])
    known = await prepare(operation, jp_fetch, jp_root_dir)
    base_url = f"http://localhost:{jp_http_port}{jp_base_url}colab"
    problems = await asyncio.to_thread(exercise, operation, base_url, dict(jp_auth_header), known)
    assert not problems, f"{operation.label} breaks colab_ext/openapi.yaml:\n\n" + "\n\n".join(
        problems
    )
