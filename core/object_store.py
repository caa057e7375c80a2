"""People's documents in an S3-compatible object store (AWS S3, MinIO, SeaweedFS, Ceph…), through
django-storages, when ``OBJECT_STORE_URL`` names one (``storages_for``, read by the settings).

Every app server then reads and writes the same documents: none is kept on a server's disk.
Objects are private (no ACL is given: the bucket's owner alone reads them) and have no URL
here: the permission-checked views stream them, as from the disk. What the store answers
when it cannot serve (down, refusing, timing out) becomes ``StorageUnavailable``, which
``core.middleware`` turns into a 503 saying that nothing was saved; a missing object stays a
``FileNotFoundError`` (a 404 where a view streams it).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ParamSpec, TypeVar
from urllib.parse import parse_qs, urlsplit

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from django.core.exceptions import ImproperlyConfigured
from django.utils.deconstruct import deconstructible
from storages.backends.s3 import S3File, S3Storage
from storages.utils import clean_name

from core.documents import StorageUnavailable

P = ParamSpec("P")
R = TypeVar("R")

# Seconds: a store that does not answer fails the upload quickly rather than holding a worker.
CONNECT_TIMEOUT = 3
READ_TIMEOUT = 20
ATTEMPTS = 3  # botocore's "standard" retries, with backoff: a brief hiccup is not an error


@contextmanager
def _store_errors(name: str) -> Iterator[None]:
    try:
        yield
    except ClientError as error:
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if status == 404:
            raise FileNotFoundError(f"No object {name!r} in the document store.") from error
        raise StorageUnavailable(f"The document store refused {name!r}: {error}") from error
    except BotoCoreError as error:
        raise StorageUnavailable(f"The document store cannot be reached: {error}") from error


def _guarded(method: Callable[P, R]) -> Callable[P, R]:
    """``method`` (a storage's, taking the name first) with the store's errors mapped."""

    @functools.wraps(method)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
        name = str(args[1]) if len(args) > 1 else ""
        with _store_errors(name):
            return method(*args, **kwargs)

    return guarded


class GuardedS3File(S3File):
    """An object opened for reading: its bytes are fetched at the first read, which then
    fails as ``StorageUnavailable`` too (the store gone between the open and the read)."""

    def _get_file(self) -> Any:
        with _store_errors(self.name):
            return super()._get_file()

    file = property(_get_file, S3File._set_file)


@deconstructible
class PrivateObjectStorage(S3Storage):
    """One prefix (``location``) of the bucket: private objects, never overwritten, never a URL."""

    def __init__(self, **options: Any) -> None:
        options.setdefault("default_acl", None)
        options.setdefault("querystring_auth", True)
        options.setdefault("file_overwrite", False)
        # Downloads above 5 MB spill to a temporary file rather than the worker's memory.
        options.setdefault("max_memory_size", 5 * 1024 * 1024)
        options.setdefault(
            "client_config",
            Config(
                connect_timeout=CONNECT_TIMEOUT,
                read_timeout=READ_TIMEOUT,
                retries={"max_attempts": ATTEMPTS, "mode": "standard"},
                s3={"addressing_style": "path"},
            ),
        )
        super().__init__(**options)

    def url(self, name: str | None, *args: Any, **kwargs: Any) -> str:
        # Documents are streamed by permission-checked views only.
        raise ValueError("Private documents have no public URL.")

    @_guarded  # a missing object (404) becomes FileNotFoundError there, as for every call
    def _open(self, name: str, mode: str = "rb") -> GuardedS3File:
        return GuardedS3File(self._normalize_name(clean_name(name)), mode, self)

    _save = _guarded(S3Storage._save)
    delete = _guarded(S3Storage.delete)
    exists = _guarded(S3Storage.exists)
    listdir = _guarded(S3Storage.listdir)
    size = _guarded(S3Storage.size)
    get_modified_time = _guarded(S3Storage.get_modified_time)


def storages_for(url: str, aliases: dict[str, str]) -> dict[str, dict[str, Any]]:
    """``STORAGES`` entries for each alias (alias → prefix) in the bucket that ``url`` names:
    ``s3://BUCKET[/PREFIX]?endpoint=URL&region=NAME``. The keys come from the environment
    (``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``), as boto3 reads them."""
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.hostname:
        raise ImproperlyConfigured(
            f"OBJECT_STORE_URL must look like s3://BUCKET/PREFIX?endpoint=URL, got {url!r}"
        )
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    unknown = set(query) - {"endpoint", "region"}
    if unknown:
        raise ImproperlyConfigured(
            f"OBJECT_STORE_URL: unknown parameter {sorted(unknown)[0]!r} (known: endpoint, region)"
        )
    if parts.username or parts.password or parts.port:
        raise ImproperlyConfigured(
            "OBJECT_STORE_URL names the bucket only (s3://BUCKET/PREFIX): the keys go in "
            "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, the server in ?endpoint="
        )
    prefix = parts.path.strip("/")
    options: dict[str, Any] = {"bucket_name": parts.hostname}
    if "endpoint" in query:
        options["endpoint_url"] = query["endpoint"]
    options["region_name"] = query.get("region") or "us-east-1"
    return {
        alias: {
            "BACKEND": "core.object_store.PrivateObjectStorage",
            "OPTIONS": {**options, "location": f"{prefix}/{folder}" if prefix else folder},
        }
        for alias, folder in aliases.items()
    }
