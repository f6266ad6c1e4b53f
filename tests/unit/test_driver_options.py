"""The local driver JVM's options (jobs.runtime.session.driver_java_options): the class archive
is used when it exists, recorded when asked, and never named when absent (a JVM told to map a
missing archive runs without even the JDK's own shared classes)."""

from __future__ import annotations

from jobs.runtime.session import LOCAL_JVM_OPTIONS, driver_java_options


def test_without_an_archive_the_driver_gets_derby_home_and_the_local_options(tmp_path):
    options = driver_java_options("/lake/state", str(tmp_path / "missing.jsa"))

    assert options == f"-Dderby.system.home=/lake/state {LOCAL_JVM_OPTIONS}"


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
