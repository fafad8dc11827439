"""Running the ``mhneed`` command: parse the arguments, run the command, map failures to
exit statuses.

Bad input exits with status 2 and one line saying what is wrong (the full
traceback with ``--debug``); an unexpected failure exits with status 1, also in
one line. A closed pipe ends quietly with status 141, as a command killed by
SIGPIPE would; Ctrl-C with 130.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Sequence

from mhneed.cli.messages import error_message, one_line, show_warnings
from mhneed.cli.parser import UsageError, build_parser
from mhneed.cli.progress import Progress
from mhneed.errors import MhneedError

__all__ = ["EXIT_BAD_INPUT", "EXIT_BROKEN_PIPE", "EXIT_INTERNAL", "EXIT_INTERRUPTED", "main"]

#: Exit statuses.
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 1
EXIT_BROKEN_PIPE = 141
EXIT_INTERRUPTED = 130


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments (``sys.argv[1:]`` by default).

    Returns
    -------
    int
        The exit status: 0 done, 2 bad input, 1 an unexpected error, 130
        interrupted, 141 output pipe closed.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    except SystemExit as exc:  # --help, --version
        return int(exc.code or 0)
    if not getattr(args, "command", None):
        parser.print_help()
        return 0
    debug = bool(getattr(args, "debug", False))
    progress = Progress(enabled=not getattr(args, "quiet", False))
    try:
        # warnings (mhneed's, and matplotlib's as the charts pass them on) are shown as
        # one line each once the run is done, never as Python's file:line tracebacks
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            status: int = args.run(args, progress)
        progress.clear()
        show_warnings(caught)
        sys.stdout.flush()
        return status
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        progress.clear()
        print("mhneed: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (MhneedError, OSError) as exc:
        progress.clear()
        if debug:
            raise
        print(f"mhneed: error: {one_line(error_message(exc))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:
        progress.clear()
        if debug:
            raise
        print(
            f"mhneed: internal error: {type(exc).__name__}: {one_line(str(exc))} (run again "
            "with --debug for the traceback, and please report it)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    finally:
        progress.clear()


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so that flushing at exit raises no second BrokenPipeError."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # pragma: no cover - stdout is not a real file
        pass
