"""Shared fixtures: a real Jupyter server with colab-ext enabled, and the stand-in NVML library."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import nvml_standin

pytest_plugins = ["pytest_jupyter.jupyter_server"]


@pytest.fixture(scope="session", autouse=True)
def nvml_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The stand-in libnvidia-ml.so.1, loaded before anything in this process asks for NVML."""
    library = nvml_standin.build(tmp_path_factory.mktemp("nvml"))
    nvml_standin.preload(library)
    return library


@pytest.fixture
def nvml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """Set what the stand-in driver reports for this test: ``nvml(gpus=[...], procs=[...])``.

    See ``tests/nvml_standin/__init__.py`` for every option. Kernels started by the test's server
    load the same stand-in (``LD_LIBRARY_PATH``) and read the same file.
    """
    monkeypatch.setenv("NVML_STANDIN_CONFIG", str(tmp_path / "nvml.conf"))

    def configure(**settings: Any) -> None:
        nvml_standin.configure(tmp_path / "nvml.conf", **settings)

    configure(init=0, gpus=[])
    yield configure


@pytest.fixture
def colab_config() -> dict[str, Any]:
    """Extra ``c.ColabExt`` settings for a test; override the fixture to change them."""
    return {}


@pytest.fixture
def jp_server_config(colab_config: dict[str, Any]) -> dict[str, Any]:
    # pytest-jupyter does not read the installed server-config JSON, so enable the extension here.
    # Unauthenticated access stays off so that a handler that forgets authentication fails.
    return {
        "ServerApp": {
            "jpserver_extensions": {"colab_ext": True},
            "allow_unauthenticated_access": False,
        },
        "ColabExt": colab_config,
    }


@pytest.fixture
def colab_routes(jp_serverapp: Any) -> list[tuple[str, type]]:
    """Every (pattern, handler class) the running server has under ``<base_url>/colab/``."""
    from tests.routes import registered_routes

    return registered_routes(jp_serverapp)
