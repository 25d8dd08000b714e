"""The last line of defence: any failure the commands did not turn into located problems.

Expected failures (bad input) are reported by the commands themselves with
``file:line:column``.  What reaches here is the file system saying no (a path and the
OS's reason, exit 1), an interrupt (exit 130), or a defect (one sentence plus a
"please report" line, exit 3).  The traceback is shown only with ``--debug``.
"""

from __future__ import annotations

import errno
import sys
import traceback

from .text.clean import for_terminal

EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130
REPORT_LINE = ("please report this (the command, its input files and the output of the same command "
               "with --debug) to the ROI-in-a-Box maintainers")


def os_reason(exc: OSError) -> str:
    """``path: reason`` for a file-system error, naming both paths of a rename."""
    reason = exc.strerror or str(exc)
    code = errno.errorcode.get(exc.errno or 0)
    if code:
        reason += f" [{code}]"
    paths = [str(p) for p in (exc.filename, exc.filename2) if p is not None]
    return f"{' -> '.join(paths)}: {reason}" if paths else reason


def report_unexpected(exc: BaseException, *, debug: bool = False) -> int:
    """Print ``exc`` for a user and return the exit status."""
    from .spec.errors import InputError

    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    if isinstance(exc, InputError):
        for p in [*exc.problems, *exc.warnings]:
            print(for_terminal(str(p)), file=sys.stderr)
        usage = exc.problems and all(p.code == "usage" for p in exc.problems)
        return EXIT_USAGE if usage else EXIT_INVALID
    if isinstance(exc, KeyboardInterrupt):
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    if isinstance(exc, OSError):
        print(for_terminal(f"error: {os_reason(exc)}"), file=sys.stderr)
        return EXIT_INVALID
    if isinstance(exc, MemoryError):
        print("error: ran out of memory", file=sys.stderr)
    else:
        text = str(exc).splitlines()[0][:200] if str(exc) else ""
        print(for_terminal(f"internal error: {type(exc).__name__}{': ' + text if text else ''}"), file=sys.stderr)
    print(REPORT_LINE, file=sys.stderr)
    return EXIT_INTERNAL
