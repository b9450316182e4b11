"""Who holds GPU memory: GPU processes mapped to kernels, and kernels to their notebooks.

A kernel's GPU work may run in the kernel process or in its children (data loader workers,
``multiprocessing``), so the memory of a whole process tree is counted for its kernel.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psutil

from ..runtime.kernels import KernelDirectory
from .gpus import GpuProcess


@dataclass
class GpuHolder:
    """One kernel's memory on one GPU, or one process that belongs to no kernel."""

    gpu_index: int
    pids: list[int]
    used_bytes: int | None
    mig_index: int | None = None
    kernel_id: str | None = None
    kernel_name: str | None = None
    notebook_path: str | None = None
    process_name: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "gpu_index": self.gpu_index,
            "mig_index": self.mig_index,
            "pids": self.pids,
            "used_bytes": self.used_bytes,
            "kernel_id": self.kernel_id,
            "kernel_name": self.kernel_name,
            "notebook_path": self.notebook_path,
            "process_name": self.process_name,
        }


def _process_name(pid: int) -> str | None:
    try:
        return psutil.Process(pid).name()
    except psutil.Error:
        # Another container's process (NVML reports host pids) or one that just ended.
        return None


def _add(total: int | None, more: int | None) -> int | None:
    if total is None or more is None:
        return total if more is None else more
    return total + more


async def gpu_holders(processes: list[GpuProcess], kernels: KernelDirectory) -> list[GpuHolder]:
    """Group GPU processes by (GPU, MIG instance, kernel); processes of no kernel stay one row
    each."""
    if not processes:
        return []
    notebooks = await kernels.notebooks()
    names = {kernel.id: kernel.name for kernel in await kernels.list()}
    by_kernel: dict[tuple[int, int | None, str], GpuHolder] = {}
    others: list[GpuHolder] = []
    for process in processes:
        kernel_id = None if kernels.is_remote else kernels.kernel_of_pid(process.pid)
        if kernel_id is None:
            others.append(
                GpuHolder(
                    process.gpu_index,
                    [process.pid],
                    process.used_bytes,
                    process.mig_index,
                    process_name=_process_name(process.pid),
                )
            )
            continue
        key = (process.gpu_index, process.mig_index, kernel_id)
        holder = by_kernel.get(key)
        if holder is None:
            by_kernel[key] = GpuHolder(
                process.gpu_index,
                [process.pid],
                process.used_bytes,
                process.mig_index,
                kernel_id=kernel_id,
                kernel_name=names.get(kernel_id),
                notebook_path=notebooks.get(kernel_id),
                process_name=_process_name(process.pid),
            )
        else:
            holder.pids.append(process.pid)
            holder.used_bytes = _add(holder.used_bytes, process.used_bytes)
    holders = list(by_kernel.values()) + others
    holders.sort(key=lambda h: (h.gpu_index, h.mig_index or 0, -(h.used_bytes or 0)))
    return holders
