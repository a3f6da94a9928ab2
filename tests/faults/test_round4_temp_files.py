"""Round four: the clean-up of an earlier save's temporary files never waits on a named pipe
planted under a temporary file's name (the icon folder, the Evaluate cache, the models
folder all clean up this way before writing)."""

from __future__ import annotations

import os
import threading

from mnistpad.core.files.modelfile import atomic_write_bytes, remove_stale_temp_files


def test_a_named_pipe_under_a_temporary_name_is_left_alone_and_not_waited_on(tmp_path):
    target = tmp_path / "icon.png"
    pipe = tmp_path / ".icon.png.abc123.tmp"
    os.mkfifo(pipe)
    stale = tmp_path / ".icon.png.def456.tmp"
    stale.write_bytes(b"half a file")
    done: list = []
    worker = threading.Thread(target=lambda: done.append(remove_stale_temp_files(target)),
                              daemon=True)
    worker.start()
    worker.join(20)
    if worker.is_alive():  # release the blocked open: open the pipe's writing end
        os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(20)
    assert done == [[stale]], "the clean-up waited on a named pipe"
    assert pipe.exists() and not stale.exists()
    atomic_write_bytes(target, b"png")  # and a save beside the pipe still lands
    assert target.read_bytes() == b"png"
