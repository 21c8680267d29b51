"""lis_analysis._procs: signals handled like Ctrl-C, sections that wait for them, workers
that end with their parent. (The commands' behaviour under signals is tested end to end
in tests/hostile/test_faults.py.)"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from lis_analysis import _procs
from tests.hostile.helpers import alive, kill_all, wait_until

posix = pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals")


@posix
def test_sigterm_raises_terminated_only_inside_the_block():
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(_procs.Terminated) as err, _procs.termination_raises():
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # (interrupted by the handler)
    assert err.value.signum == signal.SIGTERM and err.value.name == "SIGTERM"
    assert isinstance(err.value, KeyboardInterrupt)  # what cleans up after Ctrl-C runs
    assert signal.getsignal(signal.SIGTERM) == before


@posix
def test_deferred_interrupts_let_the_section_finish_then_raise():
    done = []
    with pytest.raises(_procs.Terminated), _procs.termination_raises():
        with _procs.deferred_interrupts():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.2)
            done.append("second half")  # not cut off by the signal
        done.append("after")  # never reached: the signal is delivered here
    assert done == ["second half"]


def test_deferred_interrupts_deliver_ctrl_c_afterwards():
    done = []
    with pytest.raises(KeyboardInterrupt), _procs.deferred_interrupts():
        signal.raise_signal(signal.SIGINT)
        done.append("finished")
    assert done == ["finished"]


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_a_worker_ends_with_its_parent_even_when_the_parent_is_killed(tmp_path):
    """The parent starts a pool worker with die_with_parent, then dies by SIGKILL (no
    cleanup at all): the worker is gone soon after."""
    script = textwrap.dedent(
        """
        import os, sys, time
        from concurrent.futures import ProcessPoolExecutor
        from lis_analysis._procs import die_with_parent

        def pid():
            return os.getpid()

        ex = ProcessPoolExecutor(1, initializer=die_with_parent)
        print(ex.submit(pid).result(), flush=True)
        ex.submit(time.sleep, 600)
        time.sleep(600)
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=tmp_path
    )
    worker = int(proc.stdout.readline())
    try:
        proc.kill()
        proc.wait(30)
        assert wait_until(lambda: not alive(worker), 30), "the worker outlived its parent"
    finally:
        kill_all([worker])
