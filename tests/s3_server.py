"""A real S3-compatible server on loopback (moto's server mode), for the object storage.

It runs as a process of its own, as MinIO or a cloud service would, so the web and
worker processes of a test reach it over HTTP exactly as in production.
"""

import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from tests.celery_worker import free_port

ACCESS_KEY = "ascn-test"
# moto accepts any key pair.
SECRET_KEY = "ascn-test-secret"
REGION = "us-east-1"


class S3Server:
    def __init__(self, *, log_dir):
        self.port = free_port()
        self.log_path = Path(log_dir) / "s3-server.log"
        self.process = None

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout=30):
        log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"moto server exited:\n{self.log_path.read_text()}")
            try:
                with urllib.request.urlopen(f"{self.endpoint}/moto-api/", timeout=1):  # noqa: S310
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"moto server did not answer within {timeout} s")

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
        )

    def new_bucket(self):
        """A fresh, empty bucket; returns the STORAGE_URL that names it."""
        bucket = f"ascn-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=bucket)
        return bucket, self.storage_url(bucket)

    def storage_url(self, bucket):
        return (
            f"s3://{ACCESS_KEY}:{SECRET_KEY}@127.0.0.1:{self.port}/{bucket}"
            f"?region={REGION}&tls=false"
        )

    def keys(self, bucket):
        listing = self.client().list_objects_v2(Bucket=bucket)
        return sorted(item["Key"] for item in listing.get("Contents", []))
