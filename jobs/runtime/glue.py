"""The AWS Glue job context: GlueContext, Job and getResolvedOptions from `awsglue`.

`awsglue` needs Glue's JVM classes, so everything here is imported only when a job
actually runs on Glue.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F

from jobs.runtime.config import LAKE_ARGUMENTS, parse_arguments, resolve_config
from jobs.runtime.context import JobContext
from jobs.runtime.session import COMMON_SETTINGS, GLUE_SETTINGS
from jobs.runtime.storage import FileInfo, canonical_uri

# The lake's file formats as Glue's DynamicFrame readers name them.
GLUE_FORMATS = {"csv": "csv", "jsonl": "json", "parquet": "parquet", "avro": "avro"}


class GlueJobContext(JobContext):
    def __init__(self, job_name, config, glue_context, job, run_id=None):
        super().__init__(job_name, config, glue_context.spark_session, run_id)
        self.glue_context = glue_context
        self.job = job

    def read_avro_records(self, uris: list[str]) -> DataFrame:
        """Glue ships Spark's Avro reader (see records_of_files)."""
        return self.records_of_files(uris, self._avro_files_records)

    def _avro_files_records(self, uris: list[str]) -> DataFrame:
        """Rows numbered in file order."""
        rows = self.spark.read.format("avro").load(uris).withColumn("_order", F.monotonically_increasing_id())
        path = F.col("_metadata.file_path")
        return rows.select(
            path.alias("path"),
            F.row_number().over(Window.partitionBy(path).orderBy("_order")).cast("int").alias("source_line"),
            F.to_json(F.struct(*[F.col(f"`{c}`") for c in rows.columns if c != "_order"])).alias("raw_record"),
        )

    def select_new_files(self, name: str, root: str, file_format: str, files: list[FileInfo]) -> list[FileInfo]:
        """Glue's own bookmark decides: a bookmarked DynamicFrame read of the source (named by
        its transformation_ctx) yields only the files new since the last job.commit(); the
        option (enable/pause/disable) is applied by Glue from --job-bookmark-option.

        The bookmarked read parses the files once more, to learn their names; the records
        themselves are then read the lake's way (numbered lines, Avro/Parquet rows as JSON).
        """
        if not files:
            return files
        frame = self.glue_context.create_dynamic_frame.from_options(
            connection_type="s3",
            connection_options={"paths": [root], "recurse": True},
            format=GLUE_FORMATS[file_format],
            transformation_ctx=name.replace("/", "_"),
        )
        seen = {canonical_uri(r[0]) for r in frame.toDF().select(F.input_file_name()).distinct().collect()}
        return [f for f in files if canonical_uri(f.uri) in seen]

    def commit_bookmarks(self) -> None:
        self.job.commit()


def open_glue_context(
    job_name: str,
    argv: Sequence[str],
    environ: Mapping[str, str],
    arguments: Sequence[str] = LAKE_ARGUMENTS,
) -> GlueJobContext:
    from awsglue.context import GlueContext
    from awsglue.job import Job
    from awsglue.utils import getResolvedOptions
    from pyspark.context import SparkContext

    glue_args = getResolvedOptions(list(argv), ["JOB_NAME"])
    glue_context = GlueContext(SparkContext.getOrCreate())
    for key, value in {**COMMON_SETTINGS, **GLUE_SETTINGS}.items():
        glue_context.spark_session.conf.set(key, value)
    job = Job(glue_context)
    job.init(glue_args["JOB_NAME"], glue_args)
    config = resolve_config(argv, environ, arguments)
    run_id = parse_arguments(argv).get("JOB_RUN_ID")
    return GlueJobContext(glue_args["JOB_NAME"] or job_name, config, glue_context, job, run_id)
