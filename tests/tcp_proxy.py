"""A TCP proxy on 127.0.0.1 that a test controls, to put network faults between the service
and its database without touching the database itself.

- ``forward()``: bytes flow both ways (the normal state).
- ``partition()``: every connection stays open, new ones are accepted, but no byte is
  forwarded either way: what a client sees when the network drops packets silently, except
  that the kernel still acknowledges what it is sent (so only the service's own bound on
  waiting for an answer can notice it).
- ``outage()``: open connections are cut and new ones refused (connection refused).
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import threading
from enum import StrEnum
from types import TracebackType

_CHUNK = 65536


class ProxyState(StrEnum):
    FORWARD = "forward"
    PARTITION = "partition"
    OUTAGE = "outage"


class TcpProxy:
    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.state = ProxyState.FORWARD
        self._selector = selectors.DefaultSelector()
        self._peers: dict[socket.socket, socket.socket] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._listener: socket.socket | None = self._listen(0)
        self.port: int = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._run, name="tcp-proxy", daemon=True)

    # --- control -------------------------------------------------------------------------

    def forward(self) -> None:
        with self._lock:
            if self._listener is None:
                self._listener = self._listen(self.port)
            self.state = ProxyState.FORWARD

    def partition(self) -> None:
        with self._lock:
            self.state = ProxyState.PARTITION

    def outage(self) -> None:
        with self._lock:
            self.state = ProxyState.OUTAGE
            if self._listener is not None:
                self._selector.unregister(self._listener)
                self._listener.close()
                self._listener = None
            for sock in list(self._peers):
                self._drop(sock)

    def __enter__(self) -> TcpProxy:
        self._thread.start()
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        with self._lock:
            for sock in list(self._peers):
                self._drop(sock)
            if self._listener is not None:
                self._listener.close()
        self._selector.close()

    # --- plumbing ------------------------------------------------------------------------

    def _listen(self, port: int) -> socket.socket:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen(64)
        listener.setblocking(False)
        self._selector.register(listener, selectors.EVENT_READ)
        return listener

    def _run(self) -> None:
        while not self._stop.is_set():
            ready = self._selector.select(timeout=0.05)
            with self._lock:
                for key, _ in ready:
                    sock = key.fileobj
                    assert isinstance(sock, socket.socket)
                    if sock is self._listener:
                        self._accept(sock)
                    elif sock in self._peers and self.state is ProxyState.FORWARD:
                        self._pump(sock)
                holding = self.state is not ProxyState.FORWARD
            if holding:
                # Unread bytes keep their sockets readable: pause rather than spin.
                self._stop.wait(0.02)

    def _accept(self, listener: socket.socket) -> None:
        try:
            client, _ = listener.accept()
        except BlockingIOError:
            return
        try:
            server = socket.create_connection(self.upstream, timeout=5)
        except OSError:
            client.close()
            return
        for sock in (client, server):
            # Blocking: read only when the selector says so, and write whole chunks.
            sock.setblocking(True)
            sock.settimeout(None)
            self._selector.register(sock, selectors.EVENT_READ)
        self._peers[client] = server
        self._peers[server] = client

    def _pump(self, sock: socket.socket) -> None:
        try:
            data = sock.recv(_CHUNK)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            self._drop(sock)
            return
        try:
            self._peers[sock].sendall(data)
        except OSError:
            self._drop(sock)

    def _drop(self, sock: socket.socket) -> None:
        other = self._peers.pop(sock, None)
        for each in (sock, other):
            if each is None:
                continue
            self._peers.pop(each, None)
            with contextlib.suppress(KeyError, ValueError):
                self._selector.unregister(each)
            each.close()
