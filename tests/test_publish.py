import os
import subprocess
import sys

import pytest

from indexer.errors import IndexLocked, NoIndex
from indexer.publish import IndexDirectory


def test_publish_flips_current_and_keeps_previous(tmp_path):
    d = IndexDirectory(tmp_path)
    g1 = d.new_generation()
    d.publish(g1)
    assert d.current() == g1.resolve() and d.previous() is None
    g2 = d.new_generation()
    d.publish(g2)
    assert d.current() == g2.resolve() and d.previous() == g1.resolve()
    g3 = d.new_generation()
    d.publish(g3)
    assert [p.name for p in d.generations()] == [g2.name, g3.name]  # the oldest is gone
    assert os.readlink(tmp_path / "current") == g3.name  # relative link: the directory can move


def test_rollback_swaps_current_and_previous(tmp_path):
    d = IndexDirectory(tmp_path)
    g1 = d.new_generation()
    d.publish(g1)
    with pytest.raises(NoIndex):
        d.rollback()
    g2 = d.new_generation()
    d.publish(g2)
    assert d.rollback() == g1.resolve()
    assert d.current() == g1.resolve() and d.previous() == g2.resolve()


def test_half_written_generation_is_cleaned_up(tmp_path):
    d = IndexDirectory(tmp_path)
    g1 = d.new_generation()
    d.publish(g1)
    crashed = d.new_generation()  # a build that died before publishing
    (crashed / "_MAIN_1.toc").write_text("partial")
    d.remove_unreferenced()
    assert not crashed.exists() and d.current() == g1.resolve()


def test_second_holder_of_the_lock_is_refused(tmp_path):
    d = IndexDirectory(tmp_path)
    code = (
        "import sys,time; from indexer.publish import IndexDirectory\n"
        "with IndexDirectory(sys.argv[1]).lock():\n    print('locked', flush=True); time.sleep(30)"
    )
    holder = subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(IndexLocked, match="another indexer"), d.lock():
            pass
    finally:
        holder.kill()
        holder.wait()
    with d.lock():  # the kernel released the dead holder's lock: no stale lock
        pass


def test_require_current_without_index(tmp_path):
    with pytest.raises(NoIndex):
        IndexDirectory(tmp_path / "nothing").require_current()
