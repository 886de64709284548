"""Which process is running a job or a training, and whether that process still exists.

A run killed by SIGKILL, an out-of-memory kill or a power cut records nothing on its way out, so
each run stores the identity of its process when it starts, and whoever starts the next run asks
whether that process is still there. A pid alone is not enough: after a restart another process
may hold it, so Linux's boot id and the process's start time go with it.
"""

import os
import socket
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
BOOT_ID = PROC / "sys" / "kernel" / "random" / "boot_id"
START_TIME_FIELD = 19  # starttime (field 22 of /proc/<pid>/stat), counted after the command name
DEAD_STATES = {"Z", "X"}  # a zombie was killed and only waits for its parent to reap it


@dataclass(frozen=True)
class ProcessIdentity:
    host: str
    pid: int
    started: str  # "<boot id>@<start time in clock ticks>"; "" where /proc is missing

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}:{self.started}"

    @classmethod
    def parse(cls, text: str | None) -> "ProcessIdentity | None":
        """From __str__, or from the plain "host:pid" that runs recorded before."""
        parts = (text or "").split(":", 2)
        if len(parts) < 2 or not parts[1].isdigit():
            return None
        return cls(parts[0], int(parts[1]), parts[2] if len(parts) == 3 else "")


def _started(pid: int) -> str | None:
    """The process's boot id and start time; None if no live process has this pid."""
    try:
        stat = (PROC / str(pid) / "stat").read_text(encoding="ascii")
        boot_id = BOOT_ID.read_text(encoding="ascii").strip()
    except OSError:
        return None
    # The command name (field 2) sits in parentheses and may hold spaces: split after it.
    fields = stat.rsplit(")", 1)[1].split()
    if fields[0] in DEAD_STATES:
        return None
    return f"{boot_id}@{fields[START_TIME_FIELD]}"


def this_process() -> ProcessIdentity:
    # Asked at each run, not at import: a forked worker has another pid than its parent.
    pid = os.getpid()
    return ProcessIdentity(socket.gethostname(), pid, _started(pid) or "")


def is_running(identity: ProcessIdentity) -> bool | None:
    """Whether the process still runs; None when it ran on another host, which cannot be asked."""
    if identity.host != socket.gethostname():
        return None
    if not PROC.is_dir():  # not Linux: the pid is all there is to go by
        try:
            os.kill(identity.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:  # another user's process holds the pid
            return True
        return True
    started = _started(identity.pid)
    return started is not None and identity.started in ("", started)
