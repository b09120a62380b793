"""Work done by a forked child process while this one goes on: the DOCX beside the PDF, the merge beside the EPUB.

api.build_books starts the DOCX this way before the PDF (it needs no page map: pandoc runs on the core the PDF's
layout leaves free); the part-wise PDF merges its parts this way while the EPUB is written from its page map.
A child is a process, not a thread, so the PDF's own worker processes are still forked from a process with no
other thread.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import traceback

from . import output


class Aside:
    """function(*args) running in a forked child; result() waits for it and returns its value or raises its error."""

    def __init__(self, function, *args):
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        mark = output.held_count()  # the outputs the child writes within a build are renamed by this process
        self._process = context.Process(target=_run, args=(send, function, args, mark), daemon=True)
        self._process.start()
        send.close()

    def result(self):
        try:
            kind, value = self._receive.recv()
        except EOFError:  # the child died without a word (killed)
            kind, value = "crash", None
        finally:
            self._receive.close()
            self._process.join()
        if value is None and kind == "crash":
            value = f"exit code {self._process.exitcode}"
        if kind == "ok":
            value, held = value
            output.adopt(held)
            return value
        if kind == "error":
            raise value
        raise RuntimeError(f"the process writing beside the build failed:\n{value}")

    def stop(self) -> None:
        """End the child if it still runs (the build stopped: an error or Ctrl-C elsewhere).

        It is interrupted as Ctrl-C would: its output is not renamed into place and its temporary file is removed.
        """
        if self._process.is_alive():
            os.kill(self._process.pid, signal.SIGINT)
            self._process.join(10)
            if self._process.is_alive():
                self._process.kill()
        self._process.join()


def _run(send, function, args, mark: int) -> None:
    # stop() interrupts the child with SIGINT, which a build started in the background (a script's `&`, nohup)
    # inherits ignored: the child hears it whatever its parent does.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        reply = ("ok", (function(*args), output.held_since(mark)))
    except Exception as exc:  # noqa: BLE001  (a BuildError is raised again in the parent, as itself)
        reply = ("error", exc)
        try:
            pickle.dumps(exc)
        except Exception:  # noqa: BLE001
            reply = ("crash", traceback.format_exc())
    except BaseException:  # noqa: BLE001  (Ctrl-C, SystemExit in the child)
        reply = ("crash", traceback.format_exc())
    try:
        send.send(reply)
        send.close()
    except OSError:  # the parent stopped listening (it was interrupted too)
        pass
