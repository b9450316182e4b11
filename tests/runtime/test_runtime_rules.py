"""The pure rules behind the picker: notebook metadata, GPU names, placement."""

from __future__ import annotations

import pytest

from colab_ext.core.errors import BadRequest, Conflict
from colab_ext.core.nvml import GpuDevice
from colab_ext.runtime.kernels import notebook_path
from colab_ext.runtime.metadata import RuntimeRequest, requested_runtime, short_gpu_name
from colab_ext.runtime.placement import choose_gpus, gpu_loads, visible_gpus
from colab_ext.runtime.types import TypeCatalogue, with_runtime_env


@pytest.mark.parametrize(
    ("metadata", "request_"),
    [
        ({}, None),
        (None, None),
        ({"accelerator": "GPU", "colab": {"gpuType": "T4"}}, RuntimeRequest("gpu", "T4")),
        ({"accelerator": "TPU"}, RuntimeRequest("tpu")),
        ({"kaggle": {"accelerator": "nvidiaTeslaP100"}}, RuntimeRequest("gpu", "P100")),
        ({"kaggle": {"accelerator": "tpu1vmV38"}}, RuntimeRequest("tpu")),
        ({"kaggle": {"accelerator": "none"}}, RuntimeRequest("cpu")),
        ({"kaggle": {"isGpuEnabled": True}}, RuntimeRequest("gpu")),
        (
            {"accelerator": "GPU", "colab_ext": {"runtime_type": "big", "gpu": {"index": 1}}},
            RuntimeRequest("big", None, 1),
        ),
    ],
)
def test_requested_runtime(metadata: object, request_: RuntimeRequest | None) -> None:
    assert requested_runtime(metadata) == request_


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("NVIDIA H100 80GB HBM3", "H100"),
        ("NVIDIA A100-SXM4-40GB", "A100"),
        ("Tesla T4", "T4"),
        ("NVIDIA GeForce RTX 4090", "4090"),
        ("NVIDIA L4", "L4"),
    ],
)
def test_short_gpu_name(name: str, short: str) -> None:
    assert short_gpu_name(name) == short


def gpu(index: int, used_gib: int = 0) -> GpuDevice:
    return GpuDevice(index, f"GPU {index}", f"GPU-{index}", 16 << 30, used_gib << 30)


def test_placement_by_runtimes_then_free_memory_then_index() -> None:
    devices = [gpu(0, used_gib=8), gpu(1), gpu(2)]
    loads = gpu_loads(devices, [{"CUDA_VISIBLE_DEVICES": "GPU-1"}, {"PATH": "/bin"}])
    assert [load.runtimes for load in loads] == [0, 1, 0]
    assert choose_gpus(loads, 1, exclusive=False) == [devices[2]]
    assert choose_gpus(loads, 2, exclusive=False) == [devices[2], devices[0]]
    with pytest.raises(Conflict, match="only 2 of 3 are free"):
        choose_gpus(loads, 3, exclusive=True)
    with pytest.raises(BadRequest, match="There is no GPU '7'"):
        choose_gpus(loads, 1, exclusive=False, wanted=["7"])
    assert choose_gpus(loads, 1, exclusive=False, wanted=["1"]) == [devices[1]]
    with pytest.raises(Conflict, match=r"GPU 1 .* is in use by another runtime"):
        choose_gpus(loads, 1, exclusive=True, wanted=["GPU-1"])


def test_visible_gpus_follows_cuda_rules() -> None:
    devices = [gpu(0), gpu(1)]
    assert visible_gpus("1,GPU-0", devices) == [devices[1], devices[0]]
    assert visible_gpus("", devices) == []
    assert visible_gpus("5,0", devices) == []  # CUDA stops at the first unknown entry


def test_switching_environments_restores_the_server_values() -> None:
    managed = TypeCatalogue().managed_keys
    kernel = {"PATH": "/usr/bin", "CUDA_VISIBLE_DEVICES": "GPU-0", "JAX_PLATFORMS": "cpu"}
    server = {"PATH": "/usr/bin", "JAX_PLATFORMS": "cuda"}
    env = with_runtime_env(kernel, server, managed, {"PJRT_DEVICE": "CUDA"})
    assert env == {"PATH": "/usr/bin", "JAX_PLATFORMS": "cuda", "PJRT_DEVICE": "CUDA"}


@pytest.mark.parametrize(
    ("path", "name", "notebook"),
    [
        ("work/6f1c2e0a-6d0e-4b9e-9a53-2f5d7c1e8b11", "a.ipynb", "work/a.ipynb"),
        ("work/renamed.ipynb", "Untitled.ipynb", "work/renamed.ipynb"),  # renamed in JupyterLab
        ("work/a.ipynb", None, "work/a.ipynb"),
        ("console-1-6f1c2e0a", "Console 1", "console-1-6f1c2e0a"),
    ],
)
def test_notebook_of_a_session(path: str, name: str | None, notebook: str) -> None:
    assert notebook_path(path, name) == notebook
