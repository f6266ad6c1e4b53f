"""The local driver JVM's options (jobs.runtime.session.driver_java_options): the class archive
is used when it exists, recorded when asked, and never named when absent (a JVM told to map a
missing archive runs without even the JDK's own shared classes). The compiler directives that
keep driver-only code from C2 are read by the JDK's own parser."""

from __future__ import annotations

import re
import subprocess

from jobs.runtime.session import (
    COMPILER_DIRECTIVES_FILE,
    DRIVER_ONLY_CODE,
    LOCAL_JVM_OPTIONS,
    compiler_directives,
    driver_java_options,
)

DIRECTIVES = f"-XX:+UnlockDiagnosticVMOptions -XX:CompilerDirectivesFile=/lake/state/{COMPILER_DIRECTIVES_FILE}"


def test_without_an_archive_the_driver_gets_derby_home_the_local_options_and_the_directives(tmp_path):
    options = driver_java_options("/lake/state", str(tmp_path / "missing.jsa"))

    assert options == f"-Dderby.system.home=/lake/state {LOCAL_JVM_OPTIONS} {DIRECTIVES}"


def test_the_jvm_reads_the_directives_as_c2_exclusions_of_the_driver_only_code(tmp_path):
    """The JVM starts with whatever the file says (a directive for the other compiler, or one
    that excludes nothing), so what it made of the file is read back from its own print. The
    JVM gets the driver's own options, with the file where the session writes it."""
    (tmp_path / COMPILER_DIRECTIVES_FILE).write_text(compiler_directives(DRIVER_ONLY_CODE))
    options = driver_java_options(str(tmp_path), str(tmp_path / "missing.jsa")).split()

    printed = subprocess.run(
        ["java", *options, "-XX:+CompilerDirectivesPrint", "-version"], capture_output=True, text=True, check=True
    ).stdout

    ours = printed.split("Directive: (default)")[0]
    matching = re.search(r"matching: (.*)", ours)
    assert matching is not None
    assert sorted(matching.group(1).split(", ")) == sorted(f"{p}.*" for p in DRIVER_ONLY_CODE)
    c1, c2 = ours.split(" c2 directives:")
    assert "Enable:false" in c1  # C1 compiles this code as it would anyway
    assert "Enable:true Exclude:true" in c2


def test_an_existing_archive_is_mapped(tmp_path):
    archive = tmp_path / "classes.jsa"
    archive.write_bytes(b"archive")

    options = driver_java_options("/lake/state", str(archive)).split()

    assert options[-1] == f"-XX:SharedArchiveFile={archive}"
    assert not any("ArchiveClassesAtExit" in option for option in options)


def test_recording_writes_the_archive_at_exit_even_over_an_existing_one(tmp_path):
    archive = tmp_path / "classes.jsa"
    archive.write_bytes(b"archive")

    options = driver_java_options("/lake/state", str(archive), record_classes=True).split()

    assert f"-XX:ArchiveClassesAtExit={archive}" in options
    assert not any("SharedArchiveFile" in option for option in options)
