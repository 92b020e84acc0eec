"""Helpers the checks and benchmarks share for running a local `perennial` against a throwaway store:
a free loopback port, and API keys created with `perennial keys create`."""
import re
import socket
import subprocess
import sys

KEY = re.compile(r"prn_[0-9a-f]{8}_[A-Za-z0-9_-]{32}")


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def create_key(binary, role, db, cwd):
    """A new key of the role in the store, as `perennial keys create` prints it."""
    result = subprocess.run([binary, "keys", "create", "--role", role, "--db", db], cwd=cwd, capture_output=True, text=True)
    found = KEY.search(result.stdout + result.stderr)
    if result.returncode != 0 or not found:
        sys.exit(f"perennial keys create --role {role} failed:\n{result.stderr}")
    return found.group(0)
