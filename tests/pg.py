"""A throw-away PostgreSQL server for the tests: ``initdb`` into a temporary folder, start it
on a free loopback port, stop and delete it at the end.

The server binaries are looked up in ``$STORYLENS_PG_BIN`` (a folder; set it to an empty or
missing folder to see the tests skip), else in Debian's ``/usr/lib/postgresql/<newest>/bin``,
else on ``PATH``. ``initdb`` refuses to run as root: as root the server runs as the
``postgres`` user (Debian's package creates it) through ``runuser``.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path


def server_bin() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``, or None."""
    if "STORYLENS_PG_BIN" in os.environ:
        folder = Path(os.environ["STORYLENS_PG_BIN"])
        return folder if (folder / "initdb").exists() and (folder / "pg_ctl").exists() else None
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if debian:
        return debian[-1].parent
    found = shutil.which("initdb")
    return Path(found).parent if found and shutil.which("pg_ctl") else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ThrowawayPostgres:
    """One server; :meth:`new_schema_url` hands every test its own empty schema."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.folder = Path(tempfile.mkdtemp(prefix="storylens-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self.user: str | None = None
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError as error:
                raise RuntimeError("running as root, but there is no 'postgres' user to run the server") from error
            self.user = "postgres"
            shutil.chown(self.folder, "postgres", "postgres")
        self.log = self.folder / "server.log"

    def _run(self, *args: str) -> None:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed: {result.stderr.strip() or result.stdout.strip()}")

    def start(self) -> str:
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-E", "UTF8", "-U", "postgres", "--no-sync")
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} -c fsync=off -c max_connections=60"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")
        return self.url

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def new_schema_url(self) -> str:
        """The URL of a fresh, empty schema (cheaper than a database per test)."""
        import psycopg

        schema = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        return f"{self.url}?options=-csearch_path%3D{schema}"

    def stop(self) -> None:
        try:
            if self.data.exists():
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
