"""A small IMAP4rev1 server on loopback, speaking just what Heard's fetch uses.

It is the edge of the world for the IMAP tests: Heard talks to it through the stdlib's
imaplib over a real socket, exactly as it talks to Exchange, Gmail or Dovecot. It keeps
its messages in memory with their flags, so a test can see what was marked and deleted.
"""

from __future__ import annotations

import re
import socketserver
import threading
from dataclasses import dataclass, field


@dataclass
class StoredMessage:
    uid: int
    raw: bytes
    flags: set[str] = field(default_factory=set)


class Store:
    def __init__(self, username: str, password: str) -> None:
        self.username = username
        self.password = password
        self.messages: list[StoredMessage] = []
        self.next_uid = 1
        self.lock = threading.Lock()
        self.logins = 0

    def add(self, raw: bytes) -> int:
        with self.lock:
            uid = self.next_uid
            self.next_uid += 1
            self.messages.append(StoredMessage(uid, raw))
            return uid

    def by_uid(self, uid: int) -> StoredMessage | None:
        return next((m for m in self.messages if m.uid == uid), None)


def _arguments(text: str) -> list[str]:
    return [a[1:-1] if a.startswith('"') else a for a in re.findall(r'"(?:[^"\\]|\\.)*"|\S+', text)]


class Handler(socketserver.StreamRequestHandler):
    store: Store

    def send(self, line: str | bytes) -> None:
        self.wfile.write(line.encode() if isinstance(line, str) else line)

    def handle(self) -> None:
        store = self.server.store  # type: ignore[attr-defined]
        self.send("* OK [CAPABILITY IMAP4rev1] test server ready\r\n")
        signed_in = False
        while True:
            line = self.rfile.readline()
            if not line:
                return
            tag, _, rest = line.decode().rstrip("\r\n").partition(" ")
            command, _, arguments = rest.partition(" ")
            command = command.upper()
            if command == "CAPABILITY":
                self.send("* CAPABILITY IMAP4rev1 UIDPLUS\r\n")
                self.send(f"{tag} OK CAPABILITY done\r\n")
            elif command == "LOGIN":
                user, password = _arguments(arguments)[:2]
                if user == store.username and password == store.password:
                    signed_in = True
                    store.logins += 1
                    self.send(f"{tag} OK LOGIN done\r\n")
                else:
                    self.send(f"{tag} NO [AUTHENTICATIONFAILED] wrong user name or password\r\n")
            elif command == "LOGOUT":
                self.send("* BYE logging out\r\n")
                self.send(f"{tag} OK LOGOUT done\r\n")
                return
            elif not signed_in:
                self.send(f"{tag} BAD sign in first\r\n")
            elif command == "SELECT":
                if _arguments(arguments)[0].upper() != "INBOX":
                    self.send(f"{tag} NO no such folder\r\n")
                    continue
                self.send(f"* {len(store.messages)} EXISTS\r\n")
                self.send("* FLAGS (\\Seen \\Deleted)\r\n")
                self.send(f"{tag} OK [READ-WRITE] SELECT done\r\n")
            elif command == "EXPUNGE":
                with store.lock:
                    for position in range(len(store.messages), 0, -1):
                        if "\\Deleted" in store.messages[position - 1].flags:
                            del store.messages[position - 1]
                            self.send(f"* {position} EXPUNGE\r\n")
                self.send(f"{tag} OK EXPUNGE done\r\n")
            elif command == "UID":
                self.uid(tag, arguments, store)
            else:
                self.send(f"{tag} BAD unknown command\r\n")

    def uid(self, tag: str, arguments: str, store: Store) -> None:
        sub, _, rest = arguments.partition(" ")
        sub = sub.upper()
        if sub == "SEARCH":
            criteria = rest.upper().split()
            found = [
                m.uid
                for m in store.messages
                if ("UNSEEN" not in criteria or "\\Seen" not in m.flags)
                and ("UNDELETED" not in criteria or "\\Deleted" not in m.flags)
            ]
            self.send("* SEARCH " + " ".join(str(u) for u in found) + "\r\n")
            self.send(f"{tag} OK SEARCH done\r\n")
        elif sub == "FETCH":
            uid_text, _, _items = rest.partition(" ")
            message = store.by_uid(int(uid_text))
            if message is not None:
                position = store.messages.index(message) + 1
                self.send(
                    f"* {position} FETCH (UID {message.uid} BODY[] {{{len(message.raw)}}}\r\n"
                )
                self.send(message.raw)
                self.send(")\r\n")
            self.send(f"{tag} OK FETCH done\r\n")
        elif sub == "STORE":
            uid_text, _, change = rest.partition(" ")
            message = store.by_uid(int(uid_text))
            if message is not None:
                flags = set(re.findall(r"\\\w+", change))
                if change.startswith("+"):
                    message.flags |= flags
                elif change.startswith("-"):
                    message.flags -= flags
                position = store.messages.index(message) + 1
                self.send(
                    f"* {position} FETCH (FLAGS ({' '.join(sorted(message.flags))}) UID {message.uid})\r\n"
                )
            self.send(f"{tag} OK STORE done\r\n")
        else:
            self.send(f"{tag} BAD unknown UID command\r\n")


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, store: Store) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.store = store

    @property
    def port(self) -> int:
        return int(self.server_address[1])


def start(store: Store) -> Server:
    server = Server(store)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
