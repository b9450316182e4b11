"""The runtime-type catalogue: CPU, GPU and TPU built in, plus the admin's own types.

A runtime type is a promise about a kernel's environment: which accelerator it may use
(``CUDA_VISIBLE_DEVICES`` and the JAX / PyTorch-XLA variables that go with it), extra variables
the admin wants, the kernelspec to run, and the resources a cluster should grant it (Enterprise
Gateway's ``KERNEL_*`` variables). Admin types come from ``c.ColabExt.runtime_types`` and are
checked when the server starts, so a typo stops the server with a message, not a user later.
"""

from __future__ import annotations

import glob
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

ACCELERATORS = ("cpu", "gpu", "tpu")

#: The variable that records, in the kernel's own environment, which type it runs as. Not
#: ``COLAB_*``: notebooks test ``"COLAB_" in`` variable names to tell whether they run in Colab.
TYPE_MARKER = "JPY_COLAB_EXT_RUNTIME_TYPE"

#: The earlier name: still read from kernels an older colab-ext started (for one release), never
#: set.
LEGACY_TYPE_MARKER = "COLAB_EXT_RUNTIME_TYPE"


def marked_type(env: Mapping[str, str]) -> str | None:
    """The runtime type a kernel's environment says it runs as (either name), if any."""
    return env.get(TYPE_MARKER) or env.get(LEGACY_TYPE_MARKER)


#: What each accelerator sets, whatever the type. ``CUDA_VISIBLE_DEVICES`` of a GPU type is filled
#: in by placement; CPU and TPU types hide every GPU (an empty value means "none" to CUDA).
ACCELERATOR_ENV: dict[str, dict[str, str]] = {
    "cpu": {"CUDA_VISIBLE_DEVICES": "", "JAX_PLATFORMS": "cpu", "PJRT_DEVICE": "CPU"},
    "gpu": {"CUDA_DEVICE_ORDER": "PCI_BUS_ID", "PJRT_DEVICE": "CUDA"},
    "tpu": {"CUDA_VISIBLE_DEVICES": "", "JAX_PLATFORMS": "tpu,cpu", "PJRT_DEVICE": "TPU"},
}

#: Variables a runtime type owns: switching type first takes them back to the server's values.
BASE_MANAGED_KEYS = frozenset(
    {
        "CUDA_VISIBLE_DEVICES",
        "CUDA_DEVICE_ORDER",
        "JAX_PLATFORMS",
        "PJRT_DEVICE",
        TYPE_MARKER,
        LEGACY_TYPE_MARKER,
    }
)

_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ADMIN_KEYS = {
    "id",
    "label",
    "accelerator",
    "gpus",
    "env",
    "kernelspec",
    "resources",
    "description",
}


@dataclass(frozen=True)
class RuntimeType:
    """One choice in the picker."""

    id: str
    label: str
    accelerator: str
    gpus: int = 0
    env: Mapping[str, str] = field(default_factory=dict)
    kernelspec: str | None = None
    resources: Mapping[str, str] = field(default_factory=dict)
    description: str = ""
    builtin: bool = False

    def gateway_env(self) -> dict[str, str]:
        """The ``KERNEL_*`` variables Enterprise Gateway (and its kernel templates) receive."""
        env = {"KERNEL_GPUS": str(self.gpus), "KERNEL_RUNTIME_TYPE": self.id}
        env.update(self.resources)
        return env


BUILTIN_TYPES = (
    RuntimeType("cpu", "CPU", "cpu", description="No accelerator: GPUs are hidden.", builtin=True),
    RuntimeType(
        "gpu", "GPU", "gpu", gpus=1, description="One NVIDIA GPU for this notebook.", builtin=True
    ),
    RuntimeType(
        "tpu",
        "TPU",
        "tpu",
        description="The server's TPU, through JAX or PyTorch/XLA.",
        builtin=True,
    ),
)


def _resource_name(key: str) -> str:
    """``memory`` and ``KERNEL_MEMORY`` both mean ``KERNEL_MEMORY``."""
    upper = key.upper()
    return upper if upper.startswith("KERNEL_") else f"KERNEL_{upper}"


def _string_map(where: str, value: Any, *, names: re.Pattern[str]) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise ValueError(f"{where} must be a dict of names to values, not {value!r}.")
    result = {}
    for key, item in value.items():
        if not isinstance(key, str) or not names.match(key):
            raise ValueError(f"{where} has a name that is not a valid variable name: {key!r}.")
        if not isinstance(item, (str, int, float)) or isinstance(item, bool):
            raise ValueError(f"{where}[{key!r}] must be a string or a number, not {item!r}.")
        result[key] = str(item)
    return result


def parse_admin_type(entry: Any, position: int) -> RuntimeType:
    """One entry of ``c.ColabExt.runtime_types``, or a ``ValueError`` that says what to fix."""
    where = f"c.ColabExt.runtime_types[{position}]"
    if not isinstance(entry, Mapping):
        raise ValueError(f"{where} must be a dict with at least 'id' and 'label'.")
    unknown = set(entry) - _ADMIN_KEYS
    if unknown:
        raise ValueError(
            f"{where} has unknown keys {sorted(unknown)}; allowed: {sorted(_ADMIN_KEYS)}."
        )
    type_id, label = entry.get("id"), entry.get("label")
    if not isinstance(type_id, str) or not _ID.match(type_id):
        raise ValueError(
            f"{where}['id'] must be lower-case letters, digits, '-', '_' or '.', not {type_id!r}."
        )
    if not isinstance(label, str) or not label.strip():
        raise ValueError(f"{where}['label'] must be a non-empty string.")
    accelerator = entry.get("accelerator", "cpu")
    if accelerator not in ACCELERATORS:
        raise ValueError(f"{where}['accelerator'] must be one of {list(ACCELERATORS)}.")
    gpus = entry.get("gpus", 1 if accelerator == "gpu" else 0)
    if not isinstance(gpus, int) or isinstance(gpus, bool) or gpus < 0:
        raise ValueError(f"{where}['gpus'] must be a whole number >= 0, not {gpus!r}.")
    if accelerator == "gpu" and gpus == 0:
        raise ValueError(f"{where} is a GPU type: 'gpus' must be at least 1.")
    if accelerator != "gpu" and gpus:
        raise ValueError(f"{where}['gpus'] needs 'accelerator': 'gpu'.")
    kernelspec = entry.get("kernelspec")
    if kernelspec is not None and (not isinstance(kernelspec, str) or not kernelspec):
        raise ValueError(f"{where}['kernelspec'] must be a kernelspec name.")
    resources = _string_map(f"{where}['resources']", entry.get("resources", {}), names=_ENV_NAME)
    return RuntimeType(
        id=type_id,
        label=label.strip(),
        accelerator=accelerator,
        gpus=gpus,
        env=_string_map(f"{where}['env']", entry.get("env", {}), names=_ENV_NAME),
        kernelspec=kernelspec,
        resources={_resource_name(key): value for key, value in resources.items()},
        description=str(entry.get("description", "")),
    )


def parse_admin_types(entries: Iterable[Any]) -> list[RuntimeType]:
    """Every admin type, checked; ids must be unique and may replace a built-in one."""
    types = [parse_admin_type(entry, position) for position, entry in enumerate(entries)]
    seen: set[str] = set()
    for runtime_type in types:
        if runtime_type.id in seen:
            raise ValueError(f"c.ColabExt.runtime_types defines the id {runtime_type.id!r} twice.")
        seen.add(runtime_type.id)
    return types


def tpu_devices() -> list[str]:
    """TPU device files: ``/dev/accel*`` (TPU v2-v4 VMs) or ``/dev/vfio/<n>`` (v5 and later)."""
    return sorted(glob.glob("/dev/accel*") + glob.glob("/dev/vfio/[0-9]*"))


class TypeCatalogue:
    """The built-in types, with admin types added (an admin type may replace a built-in id)."""

    def __init__(self, admin_types: Iterable[RuntimeType] = ()) -> None:
        by_id = {runtime_type.id: runtime_type for runtime_type in BUILTIN_TYPES}
        for runtime_type in admin_types:
            by_id[runtime_type.id] = runtime_type
        self.types = list(by_id.values())
        self.managed_keys = BASE_MANAGED_KEYS | {
            key for runtime_type in self.types for key in runtime_type.env
        }

    def get(self, type_id: str) -> RuntimeType | None:
        """The type with this id, if there is one."""
        return next((t for t in self.types if t.id == type_id), None)

    def ids(self) -> list[str]:
        """Every id, in picker order."""
        return [runtime_type.id for runtime_type in self.types]


def type_environment(runtime_type: RuntimeType, gpu_ids: Iterable[str] = ()) -> dict[str, str]:
    """The variables a local kernel of this type runs with (on top of the server's own)."""
    env = dict(ACCELERATOR_ENV[runtime_type.accelerator])
    if runtime_type.accelerator == "gpu":
        env["CUDA_VISIBLE_DEVICES"] = ",".join(gpu_ids)
    env.update(runtime_type.env)
    env[TYPE_MARKER] = runtime_type.id
    return env


def with_runtime_env(
    base: Mapping[str, str],
    server_env: Mapping[str, str],
    managed_keys: Iterable[str],
    overlay: Mapping[str, str],
) -> dict[str, str]:
    """``base`` with every runtime variable taken back to the server's value, then ``overlay``.

    Everything else in ``base`` (PATH, JPY_SESSION_NAME, what the user's kernelspec set) stays.
    """
    managed = set(managed_keys)
    env = {key: value for key, value in base.items() if key not in managed}
    env.update({key: server_env[key] for key in managed if key in server_env})
    env.update(overlay)
    return env
