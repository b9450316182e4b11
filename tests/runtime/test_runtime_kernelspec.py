"""An admin type that runs its own kernelspec: a new kernel, with the notebook's session moved."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.runtime.runtime_client import H100, proc_environ, refused, switch, types
from tests.runtime.test_runtime_open import write_notebook
from tests.sessions import notebook_session


@pytest.fixture
def colab_config() -> dict[str, Any]:
    return {
        "runtime_types": [
            {
                "id": "cuda-py",
                "label": "CUDA Python",
                "accelerator": "gpu",
                "kernelspec": "cuda-py",
            },
            {"id": "ghost", "label": "Ghost", "kernelspec": "not-installed"},
            {"id": "julia-gpu", "label": "Julia GPU", "kernelspec": "julia-gpu"},
        ]
    }


def write_kernelspec(data_dir: Path, name: str, display_name: str, language: str) -> str:
    spec = data_dir / "kernels" / name
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": display_name, "language": language})
    )
    return name


@pytest.fixture
def cuda_kernelspec(jp_data_dir: Path) -> str:
    return write_kernelspec(jp_data_dir, "cuda-py", "CUDA Python", "python")


async def test_a_type_with_its_own_kernelspec(
    jp_serverapp: Any, jp_fetch: Any, nvml: Any, cuda_kernelspec: str
) -> None:
    nvml(gpus=[H100])
    listing = {t["id"]: t for t in (await types(jp_fetch))["types"]}
    assert listing["cuda-py"]["available"] is True
    assert listing["ghost"]["available"] is False
    assert (
        listing["ghost"]["reason"] == "The kernel 'not-installed' is not installed on this server."
    )
    async with notebook_session(jp_fetch, "nb/cuda.ipynb") as session:
        old = session["kernel"]["id"]
        code, text = await refused(jp_fetch, old, {"type": "ghost"})
        assert code == 409 and "not installed" in text

        answer = await switch(jp_fetch, old, "cuda-py")
        new = answer["kernel_id"]
        assert new != old and answer["summary"] == "CUDA Python · H100 #0"
        assert jp_serverapp.kernel_manager.get_kernel(new).kernel_name == "cuda-py"
        assert old not in jp_serverapp.kernel_manager
        env = proc_environ(jp_serverapp, new)
        assert env["CUDA_VISIBLE_DEVICES"] == "GPU-h100"
        assert env["JPY_SESSION_NAME"].endswith("nb/cuda.ipynb")
        sessions = json.loads((await jp_fetch("api", "sessions")).body)
        [mine] = [s for s in sessions if s["id"] == session["id"]]
        assert (mine["kernel"]["id"], mine["kernel"]["name"]) == (new, "cuda-py")
        # Kernel > Restart keeps it on its runtime.
        await jp_fetch("api", "kernels", new, "restart", method="POST", body="")
        assert proc_environ(jp_serverapp, new)["CUDA_VISIBLE_DEVICES"] == "GPU-h100"


async def test_a_notebook_saved_as_such_a_type_starts_on_its_kernelspec(
    jp_serverapp: Any,
    jp_fetch: Any,
    jp_root_dir: Path,
    jp_data_dir: Path,
    nvml: Any,
    cuda_kernelspec: str,
) -> None:
    """Reopened, it starts on the type's kernelspec in one start, not on the kernel the page
    asks for (`python3`) with the type's variables; a type whose kernelspec is of another
    language than the notebook's is not forced on it."""
    nvml(gpus=[H100])
    write_kernelspec(jp_data_dir, "julia-gpu", "Julia GPU", "julia")
    path = write_notebook(jp_root_dir, "typed.ipynb", {"colab_ext": {"runtime_type": "cuda-py"}})
    async with notebook_session(jp_fetch, path) as session:
        assert session["kernel"]["name"] == "cuda-py"
        env = proc_environ(jp_serverapp, session["kernel"]["id"])
        assert env["CUDA_VISIBLE_DEVICES"] == "GPU-h100"
    other = write_notebook(jp_root_dir, "julia.ipynb", {"colab_ext": {"runtime_type": "julia-gpu"}})
    async with notebook_session(jp_fetch, other) as session:
        assert session["kernel"]["name"] == "python3"
