"""No flag or file-system state ends in a traceback: the top-level handler turns each into a
sentence naming the path and the OS's reason (exit 1), usage errors exit 2, and a defect
prints one line plus "please report" (the traceback only with --debug)."""

from __future__ import annotations

import errno
import subprocess

import pytest

from roi_in_a_box import cli
from roi_in_a_box.failures import EXIT_INTERNAL, REPORT_LINE, os_reason, report_unexpected
from tests.hostile_helpers import SAMPLE, assert_clean_failure, assert_no_partial_files, run_cli, sample_copy

PDF_ONLY = ("--stage", "pre_sale", "--format", "pdf")


def _main(capsys, *args: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as stop:
        cli.main([*args])
    return int(stop.value.code or 0), capsys.readouterr().err


def test_out_is_a_file(tmp_path, capsys):
    target = tmp_path / "afile"
    target.write_text("x")
    code, err = _main(capsys, "build", str(SAMPLE), *PDF_ONLY, "--out", str(target))
    assert code == 1 and "Traceback" not in err
    assert str(target) in err and "Not a directory" in err


def test_name_too_long(tmp_path, capsys):
    code, err = _main(capsys, "build", str(SAMPLE), *PDF_ONLY, "--out", str(tmp_path / ("n" * 300)))
    assert code == 1 and "File name too long" in err and "n" * 300 in err


def test_disk_full_leaves_only_complete_files(tmp_path, capsys, monkeypatch):
    from roi_in_a_box.deliver import atomic

    real = atomic.os.replace
    calls = []

    def full(src, dst):
        calls.append(dst)
        if len(calls) == 2:  # the second file of the build meets a full disk
            raise OSError(errno.ENOSPC, "No space left on device", str(dst))
        return real(src, dst)

    monkeypatch.setattr(atomic.os, "replace", full)
    code, err = _main(capsys, "build", str(SAMPLE), "--stage", "pre_sale", "--out", str(tmp_path / "out"))
    assert code == 1 and "No space left on device" in err and "[ENOSPC]" in err and str(calls[1]) in err
    assert_no_partial_files(tmp_path / "out")
    assert not (tmp_path / "out" / "ledgerly-close-2026" / "manifest.json").exists()


@pytest.fixture
def small_tmpfs(tmp_path):
    mount = tmp_path / "mnt"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=300k", "tmpfs", str(mount)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root); the monkeypatched cases cover the messages")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_real_full_disk(small_tmpfs):
    run = run_cli("build", SAMPLE, "--stage", "pre_sale", "--out", small_tmpfs / "out", cwd=small_tmpfs.parent)
    assert_clean_failure(run, 1, "No space left on device")
    assert_no_partial_files(small_tmpfs / "out")


def test_read_only_file_system(small_tmpfs):
    subprocess.run(["mount", "-o", "remount,ro", str(small_tmpfs)], check=True)
    run = run_cli("build", SAMPLE, *PDF_ONLY, "--out", small_tmpfs / "out", cwd=small_tmpfs.parent)
    assert_clean_failure(run, 1, "Read-only file system")
    assert str(small_tmpfs / "out") in run.err


def test_defect_is_one_sentence_and_please_report(capsys, monkeypatch):
    from roi_in_a_box.model import study

    def broken(_path):
        raise KeyError("boom")

    monkeypatch.setattr(study, "load_study", broken)
    code, err = _main(capsys, "check", str(SAMPLE))
    assert code == EXIT_INTERNAL and "internal error: KeyError" in err and REPORT_LINE in err
    assert "Traceback" not in err
    code, err = _main(capsys, "check", str(SAMPLE), "--debug")
    assert code == EXIT_INTERNAL and "Traceback" in err and REPORT_LINE in err


def test_usage_errors_exit_2(capsys):
    assert _main(capsys, "build", str(SAMPLE), "--stage", "nope")[0] == 2
    assert _main(capsys, "build", str(SAMPLE), "--brand", "no-such-kit")[0] == 2
    assert _main(capsys, "frobnicate")[0] == 2


def test_os_reason_names_both_paths():
    exc = OSError(errno.EXDEV, "Invalid cross-device link", "/a", None, "/b")
    assert os_reason(exc) == "/a -> /b: Invalid cross-device link [EXDEV]"


def test_memory_error_is_reported_not_raised(capsys):
    assert report_unexpected(MemoryError()) == EXIT_INTERNAL
    assert "ran out of memory" in capsys.readouterr().err


def test_output_escapes_terminal_controls(tmp_path, capsys):
    spec = sample_copy(tmp_path, lambda s: s.replace("title: ", 'title: "\\e[31mred" #', 1), name="spec\x1b[2J.yaml")
    with pytest.raises(SystemExit):
        cli.main(["check", str(spec)])
    out, err = capsys.readouterr()
    assert "\x1b" not in out + err
    assert "spec\\x1b[2J.yaml" in out  # the file name, shown escaped in the warning about the removed ESC
    assert "U+001B" in out
