"""Changes to the mount's names: delete (to Drive's trash), make and remove folders, rename."""

from __future__ import annotations

import errno
import os
from typing import Any

from mfusepy import FuseOSError

from .handles import Handle, OpenFiles
from .tree import LOCAL_ONLY_PREFIX


class DriveNamespace(OpenFiles):
    """The tree and its open files, plus unlink, mkdir, rmdir and rename."""

    def unlink(self, path: str) -> int:
        self._writable()
        local_file = self.local_files.pop(path, None)
        if local_file is not None:
            local_file.unlink(missing_ok=True)
            return 0
        self.uploader.wait_for(path)
        file, parent, _ = self._lookup(path)
        if file is None:
            raise FuseOSError(errno.ENOENT)
        self.api().trash(file.id)
        self._forget(parent)
        return 0

    def mkdir(self, path: str, mode: int) -> int:
        self._writable()
        file, parent, name = self._lookup(path)
        if file is not None:
            raise FuseOSError(errno.EEXIST)
        self.api().create_folder(parent, name)
        self._forget(parent)
        return 0

    def rmdir(self, path: str) -> int:
        self._writable()
        file, parent, _ = self._lookup(path)
        if file is None or not file.is_folder:
            raise FuseOSError(errno.ENOENT if file is None else errno.ENOTDIR)
        if self._children(file.id):
            raise FuseOSError(errno.ENOTEMPTY)
        self.api().trash(file.id)
        self._forget(parent)
        return 0

    def rename(self, old: str, new: str) -> int:
        self._writable()
        if old in self.local_files:
            return self._rename_local(old, new)
        self.uploader.wait_for(old)
        self.uploader.wait_for(new)
        file, old_parent, _ = self._lookup(old)
        if file is None:
            raise FuseOSError(errno.ENOENT)
        target, new_parent, new_name = self._lookup(new)
        if target is not None:  # rename(2) replaces the target
            self.api().trash(target.id)
        moved = new_parent != old_parent
        self.api().update(
            file.id,
            name=new_name,
            add_parent=new_parent if moved else None,
            remove_parent=old_parent if moved else None,
        )
        self._forget(old_parent)
        self._forget(new_parent)
        return 0

    def _rename_local(self, old: str, new: str) -> int:
        """A local-only copy renamed: to another local name, or back over a real file (Jupyter
        restoring its backup after a failed save), which then goes up to Drive."""
        cache = self.local_files.pop(old)
        if new.rsplit("/", 1)[-1].startswith(LOCAL_ONLY_PREFIX):
            self.local_files[new] = cache
            return 0
        self.uploader.wait_for(new)
        target, parent, name = self._lookup(new)
        handle = Handle(new, target, parent, name)
        handle.cache, handle.cache_fd, handle.dirty = cache, os.open(cache, os.O_RDONLY), True
        self._close(handle)
        return 0

    def chmod(self, path: str, mode: int) -> int:
        return 0  # Drive has no modes; editors that copy them must not fail

    def chown(self, path: str, uid: int, gid: int) -> int:
        return 0

    def utimens(self, path: str, times: Any = None) -> int:
        return 0
