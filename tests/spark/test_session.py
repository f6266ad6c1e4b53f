"""The local session's JVM runs with the options the lake starts it with (jobs.runtime.session),
as the running JVM reports them: an option Spark never passed on fails here. Without
`-XX:-DontCompileHugeMethods` the order lines' cleaning runs about 4x slower (bench/NOTES.md)."""

from __future__ import annotations

from jobs.runtime.session import LOCAL_JVM_OPTIONS, java_gateway


def boolean_options(options: str) -> dict[str, str]:
    """'-XX:-A -XX:+B' -> {'A': 'false', 'B': 'true'}, as the JVM spells the values."""
    return {o[5:]: "true" if o[4] == "+" else "false" for o in options.split() if o.startswith(("-XX:+", "-XX:-"))}


def test_the_driver_jvm_runs_with_the_local_options(spark):
    jvm = java_gateway(spark)
    bean_class = jvm.java.lang.Class.forName("com.sun.management.HotSpotDiagnosticMXBean")
    diagnostics = jvm.java.lang.management.ManagementFactory.getPlatformMXBean(bean_class)
    expected = boolean_options(LOCAL_JVM_OPTIONS)

    actual = {name: diagnostics.getVMOption(name).getValue() for name in expected}

    assert expected == {"DontCompileHugeMethods": "false", "UseParallelGC": "true"}
    assert actual == expected
