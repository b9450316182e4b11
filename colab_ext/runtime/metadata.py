"""What a notebook's metadata asks for: Colab's keys, Kaggle's keys and colab-ext's own.

Colab writes ``metadata.accelerator`` ("GPU" / "TPU") and ``metadata.colab.gpuType`` ("T4", "A100",
...). Kaggle writes ``metadata.kaggle.accelerator`` ("gpu", "nvidiaTeslaT4", "tpu1vmV38", "none",
...) and older notebooks ``metadata.kaggle.isGpuEnabled``. colab-ext also writes
``metadata.colab_ext.runtime_type`` so admin types (which Colab has no key for) survive a reopen.
The frontend reads and writes the same keys (``src/runtime/runtimeType.ts``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RuntimeRequest:
    """The runtime a notebook asks for."""

    type_id: str
    gpu_name: str | None = None
    gpu_index: int | None = None


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _kaggle_request(kaggle: Mapping[str, Any]) -> RuntimeRequest | None:
    accelerator = kaggle.get("accelerator")
    if isinstance(accelerator, str):
        lowered = accelerator.lower()
        if "tpu" in lowered:
            return RuntimeRequest("tpu")
        if lowered == "gpu" or lowered.startswith("nvidia"):
            name = re.sub(r"^nvidia(tesla)?", "", accelerator, flags=re.IGNORECASE)
            return RuntimeRequest("gpu", gpu_name=name.upper() or None)
        if lowered == "none":
            return RuntimeRequest("cpu")
    if kaggle.get("isGpuEnabled") is True:
        return RuntimeRequest("gpu")
    return None


def requested_runtime(metadata: Any) -> RuntimeRequest | None:
    """The runtime the notebook's metadata asks for; None when it says nothing."""
    metadata = _mapping(metadata)
    ours = _mapping(metadata.get("colab_ext"))
    colab = _mapping(metadata.get("colab"))
    gpu_name = colab.get("gpuType") if isinstance(colab.get("gpuType"), str) else None
    type_id = ours.get("runtime_type")
    if isinstance(type_id, str) and type_id:
        pinned = _mapping(ours.get("gpu"))
        index = pinned.get("index")
        return RuntimeRequest(
            type_id,
            gpu_name=pinned.get("name") if isinstance(pinned.get("name"), str) else gpu_name,
            gpu_index=index if isinstance(index, int) and not isinstance(index, bool) else None,
        )
    accelerator = metadata.get("accelerator")
    if isinstance(accelerator, str):
        if accelerator.upper() == "GPU":
            return RuntimeRequest("gpu", gpu_name=gpu_name)
        if accelerator.upper() == "TPU":
            return RuntimeRequest("tpu")
    return _kaggle_request(_mapping(metadata.get("kaggle")))


_VENDOR = re.compile(r"^(nvidia|tesla|geforce|quadro|rtx)$", re.IGNORECASE)


def short_gpu_name(name: str) -> str:
    """The short model name Colab uses in ``gpuType``: "NVIDIA H100 80GB HBM3" -> "H100"."""
    for token in re.split(r"[\s\-_]+", name.strip()):
        if token and not _VENDOR.match(token):
            return token.upper() if re.match(r"^[a-z]\d", token, re.IGNORECASE) else token
    return name.strip() or "GPU"


def same_model(requested: str, name: str) -> bool:
    """Whether a GPU called ``name`` is the model a notebook asked for ("T4", "A100", ...)."""
    return short_gpu_name(requested).upper() == short_gpu_name(name).upper()
