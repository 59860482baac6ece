"""A warm process that forks one `xinfang` command per request (the fault tests): each child is a real process of its
own, killed by the test with SIGKILL, without paying Python's start and the imports (0.6 s) every time.

Protocol on stdin/stdout, one JSON line each: the request `["case", "import", …]`; the answer `{"pid": N}` at once
and `{"pid": N, "status": S}` when the child has ended (S as os.waitpid gives it).
"""

from __future__ import annotations

import json
import os
import sys

import xinfang_desktop.commands.case_cmd
import xinfang_desktop.persistence.case_intake
import xinfang_desktop.persistence.uow  # noqa: F401 — warm: what the command imports
from xinfang_desktop.cli import main


def serve() -> None:
    for line in sys.stdin:
        args = json.loads(line)
        pid = os.fork()
        if pid == 0:
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            os.dup2(null, 2)
            code = 1
            try:
                code = main(args)
            finally:
                os._exit(code)
        sys.stdout.write(json.dumps({"pid": pid}) + "\n")
        sys.stdout.flush()
        _, status = os.waitpid(pid, 0)
        sys.stdout.write(json.dumps({"pid": pid, "status": status}) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    serve()
