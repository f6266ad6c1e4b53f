"""The local session's JVM runs with the options the lake starts it with (jobs.runtime.session),
as the running JVM reports them: an option Spark never passed on fails here. Without
`-XX:-DontCompileHugeMethods` the order lines' cleaning runs about 4x slower (bench/NOTES.md).
And the session keeps the code it generated for a plan it meets again."""

from __future__ import annotations

from pathlib import Path

from jobs.runtime.session import COMPILER_DIRECTIVES_FILE, DRIVER_ONLY_CODE, compiler_directives, java_gateway

# LOCAL_JVM_OPTIONS ("-XX:-DontCompileHugeMethods -XX:+UseParallelGC"), as the JVM spells them.
EXPECTED_VM_OPTIONS = {"DontCompileHugeMethods": "false", "UseParallelGC": "true"}


def vm_option(spark, name: str) -> str:
    jvm = java_gateway(spark)
    bean_class = jvm.java.lang.Class.forName("com.sun.management.HotSpotDiagnosticMXBean")
    diagnostics = jvm.java.lang.management.ManagementFactory.getPlatformMXBean(bean_class)
    return str(diagnostics.getVMOption(name).getValue())


def test_the_driver_jvm_runs_with_the_local_options(spark):
    actual = {name: vm_option(spark, name) for name in EXPECTED_VM_OPTIONS}

    assert actual == EXPECTED_VM_OPTIONS


def test_the_driver_jvm_read_the_compiler_directives_the_session_wrote(spark):
    directives = Path(vm_option(spark, "CompilerDirectivesFile"))

    assert directives.name == COMPILER_DIRECTIVES_FILE
    assert directives.read_text() == compiler_directives(DRIVER_ONLY_CODE)


def compilations(spark) -> int:
    """Classes Spark's code generator has compiled in this JVM (its cache's misses)."""
    return java_gateway(spark).org.apache.spark.metrics.source.CodegenMetrics.METRIC_COMPILATION_TIME().getCount()


def test_code_generated_for_a_plan_is_reused_after_over_a_hundred_others(spark):
    """A process that runs job after job (the domains of `make run-local`, the tests) meets
    the same plans again: a run generates some 600 classes, and with Spark's default cache of
    100 a rerun compiled them all again (bench/NOTES.md, "Generated code, kept")."""

    def run_plan(offset: int) -> None:  # the literal is in the generated code: a class each
        spark.range(0, 3, 1, numPartitions=1).selectExpr(f"id * 7 + {offset} AS n").collect()

    run_plan(-1)
    for offset in range(110):  # over the 100 classes of the default cache, even at one a plan
        run_plan(offset)
    before = compilations(spark)

    run_plan(-1)

    assert compilations(spark) == before
