"""The local session's JVM runs with the options the lake starts it with (jobs.runtime.session),
as the running JVM reports them: an option Spark never passed on fails here. Without
`-XX:-DontCompileHugeMethods` the order lines' cleaning runs about 4x slower (bench/NOTES.md)."""

from __future__ import annotations

from jobs.runtime.session import java_gateway

# LOCAL_JVM_OPTIONS ("-XX:-DontCompileHugeMethods -XX:+UseParallelGC"), as the JVM spells them.
EXPECTED_VM_OPTIONS = {"DontCompileHugeMethods": "false", "UseParallelGC": "true"}


def test_the_driver_jvm_runs_with_the_local_options(spark):
    jvm = java_gateway(spark)
    bean_class = jvm.java.lang.Class.forName("com.sun.management.HotSpotDiagnosticMXBean")
    diagnostics = jvm.java.lang.management.ManagementFactory.getPlatformMXBean(bean_class)

    actual = {name: diagnostics.getVMOption(name).getValue() for name in EXPECTED_VM_OPTIONS}

    assert actual == EXPECTED_VM_OPTIONS
