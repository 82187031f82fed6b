"""A browser that can reach this machine only, with nothing between it and the pages it loads.

Chromium is given a proxy for every host but this machine's: a port this process holds bound
but never listening, so a request for another host (a fetch, an image, a WebSocket) fails at
once. The tests record such requests from Playwright's events and assert the record is empty.

Routing every request through Playwright would do the same, but at a price the tests would
measure: a route with a Python matcher sends each request, and each message of a routed
WebSocket, from the page to the driver and to this process and back, so a kernel's replies to
an explorer would reach the page tens of milliseconds late and page loads would wait on the
test process.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

__all__ = ["LOCAL_HOSTS", "leaves_the_machine", "refusing_proxy"]

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})


@contextlib.contextmanager
def refusing_proxy() -> Iterator[list[str]]:
    """Chromium arguments that send every request for another host to a bound, never listening port."""
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        yield [f"--proxy-server=http://127.0.0.1:{closed.getsockname()[1]}", "--proxy-bypass-list=127.0.0.1;localhost;[::1]"]


def leaves_the_machine(url: str) -> bool:
    """True for a URL a page would fetch from another host (data:, blob:, about: and file: stay here)."""
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob", "about", "file"}:
        return False
    return (parts.hostname or "") not in LOCAL_HOSTS
