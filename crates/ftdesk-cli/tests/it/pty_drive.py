"""Drives a program through a pseudo-terminal, as a person at a terminal would.

Usage: python pty_drive.py STEPS.json PROGRAM ARGS...

STEPS.json is a list of ["expect", text] (wait until the program has written
text, after the previous match) and ["send", text] (type it; "\r" is Enter,
"\x7f" Backspace, "\x03" Ctrl-C). The program's whole output goes to standard
output; the exit status is the program's, or 3 when an expectation is not met.
Standard library only (pty, select), so it runs on any POSIX Python 3.
"""

import json
import os
import pty
import select
import sys
import time

LIMIT_SECONDS = 60  # a guard against a hung program, not a timed assertion


def main():
    steps_file, *argv = sys.argv[1:]
    with open(steps_file, encoding="utf-8") as f:
        steps = json.load(f)
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm"
        os.execvp(argv[0], argv)
    out = bytearray()
    pos = 0
    for kind, text in steps:
        if kind == "send":
            os.write(fd, text.encode("utf-8"))
            continue
        needle = text.encode("utf-8")
        deadline = time.monotonic() + LIMIT_SECONDS
        while out.find(needle, pos) < 0:
            if time.monotonic() > deadline or not pump(fd, out):
                sys.stdout.write(out.decode("utf-8", "replace"))
                sys.stdout.write("\n[pty_drive] never saw: %r\n" % text)
                os.kill(pid, 9)
                sys.exit(3)
        pos = out.find(needle, pos) + len(needle)
    while pump(fd, out):
        pass
    _, status = os.waitpid(pid, 0)
    sys.stdout.write(out.decode("utf-8", "replace"))
    sys.exit(os.waitstatus_to_exitcode(status))


def pump(fd, out):
    """Reads what the program wrote; answers a cursor-position query. False at the end."""
    ready, _, _ = select.select([fd], [], [], LIMIT_SECONDS)
    if not ready:
        return False
    try:
        data = os.read(fd, 4096)
    except OSError:
        return False
    if not data:
        return False
    out.extend(data)
    if b"\x1b[6n" in data:
        os.write(fd, b"\x1b[1;1R")
    return True


if __name__ == "__main__":
    main()
