"""A Spark standalone cluster on this machine, on loopback only: a master and workers started
through the pyspark install's own `spark-class`, so the lake's jobs can run as they would on a
cluster (`python -m local cluster start`, then `make run-local SPARK_MASTER=spark://...`).

Each worker is its own JVM with its own executors, so a job's tasks really leave the driver:
shuffles go over the network, and everything a task needs must travel with it.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pyspark

LOOPBACK = "127.0.0.1"
STATE_FILE = "cluster.json"


def spark_home() -> Path:
    return Path(pyspark.__file__).resolve().parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def cluster_environment() -> dict[str, str]:
    """Every JVM binds to loopback, and Python tasks use this interpreter (and its packages)."""
    return {
        **os.environ,
        "SPARK_HOME": str(spark_home()),
        "SPARK_LOCAL_IP": LOOPBACK,
        "PYSPARK_PYTHON": sys.executable,
        "PYSPARK_DRIVER_PYTHON": sys.executable,
    }


@dataclass
class LocalCluster:
    master_url: str
    ui_url: str
    work_dir: Path
    pids: list[int] = field(default_factory=list)

    def wait_until_up(self, timeout_seconds: float = 90) -> None:
        """Until every worker started has registered with the master; stops the cluster and
        raises when that takes longer than `timeout_seconds`."""
        workers = len(self.pids) - 1  # the master first
        deadline = time.time() + timeout_seconds
        while True:
            try:
                if self.alive_workers() == workers:
                    return
            except OSError:  # the master's web UI is not up yet
                pass
            if time.time() > deadline:
                self.stop()
                raise TimeoutError(f"the cluster did not come up in {timeout_seconds:.0f}s; logs in {self.work_dir}")
            time.sleep(0.5)

    def alive_workers(self) -> int:
        with urllib.request.urlopen(f"{self.ui_url}/json/", timeout=5) as response:
            return int(json.load(response).get("aliveworkers", 0))

    def executor_folders(self) -> list[Path]:
        """The folders workers made for executors they ran (`worker-N/app-.../<executor>/`)."""
        return sorted(p for p in self.work_dir.glob("worker-*/app-*/*") if p.is_dir())

    def stop(self, wait_seconds: float = 20) -> None:
        for pid in self.pids:
            _signal(pid, signal.SIGTERM)
        deadline = time.time() + wait_seconds
        while time.time() < deadline and any(_running(pid) for pid in self.pids):
            time.sleep(0.2)
        for pid in self.pids:
            _signal(pid, signal.SIGKILL)

    def save(self) -> Path:
        path = self.work_dir / STATE_FILE
        path.write_text(json.dumps({**self.__dict__, "work_dir": str(self.work_dir)}, indent=1))
        return path

    @classmethod
    def load(cls, work_dir: Path) -> LocalCluster:
        state = json.loads((work_dir / STATE_FILE).read_text())
        return cls(state["master_url"], state["ui_url"], Path(state["work_dir"]), state["pids"])


def _signal(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signum)


def _running(pid: int) -> bool:
    try:
        finished, _ = os.waitpid(pid, os.WNOHANG)  # reaps our own children
        return finished == 0
    except ChildProcessError:  # not our child: ask the kernel whether it still exists
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True


def _spark_class(work_dir: Path, log_name: str, *arguments: str) -> int:
    """Start one daemon (a JVM: spark-class execs java) in a session of its own; its pid."""
    log = (work_dir / log_name).open("w")
    command = [str(spark_home() / "bin" / "spark-class"), *arguments]
    process = subprocess.Popen(
        command, stdout=log, stderr=subprocess.STDOUT, env=cluster_environment(), start_new_session=True
    )
    return process.pid


def launch_cluster(
    work_dir: Path,
    workers: int = 2,
    cores_per_worker: int = 1,
    worker_memory: str = "2g",
    port: int | None = None,
    ui_port: int | None = None,
) -> LocalCluster:
    """A master and `workers` workers on loopback, started; they register in the background
    (`wait_until_up`), so the caller can do other work while the JVMs start."""
    work_dir.mkdir(parents=True, exist_ok=True)
    port, ui_port = port or free_port(), ui_port or free_port()
    cluster = LocalCluster(f"spark://{LOOPBACK}:{port}", f"http://{LOOPBACK}:{ui_port}", work_dir)
    master_class = "org.apache.spark.deploy.master.Master"
    cluster.pids.append(
        _spark_class(
            work_dir, "master.log", master_class, "--host", LOOPBACK, "--port", str(port), "--webui-port", str(ui_port)
        )
    )
    for n in range(workers):
        cluster.pids.append(
            _spark_class(
                work_dir,
                f"worker-{n}.log",
                "org.apache.spark.deploy.worker.Worker",
                cluster.master_url,
                *("--host", LOOPBACK, "--webui-port", str(free_port())),
                *("--cores", str(cores_per_worker), "--memory", worker_memory),
                *("--work-dir", str(work_dir / f"worker-{n}")),
            )
        )
    return cluster
