"""Real TLS receivers for `ftdesk guard`'s tests, on loopback only.

    guard_servers.py certs DIR
        A private CA (DIR/ca.pem) and a server certificate it signed for
        127.0.0.1 and localhost (DIR/server.pem, DIR/server.key).
    guard_servers.py smtp --port P --maildir D --certs DIR --mode starttls|tls --user U --password W
        aiosmtpd that requires TLS (STARTTLS or implicit) and AUTH before MAIL,
        and stores what it accepts in the maildir D.
    guard_servers.py https --port P --certs DIR --log FILE
        An HTTPS server that appends each POST (headers and body) to FILE as a
        JSON line and answers 200.

The servers print "ready" once they accept connections and run until killed.
The certificates come from `cryptography`, which the test venv has through moto.
"""

import argparse
import datetime
import http.server
import ipaddress
import json
import ssl
import sys
import threading
import time
from pathlib import Path


def write_certs(folder: Path) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.datetime.now(datetime.timezone.utc)
    start, end = now - datetime.timedelta(days=1), now + datetime.timedelta(days=30)

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ftdesk test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )

    key = ec.generate_private_key(ec.SECP256R1())
    server = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )

    pem = serialization.Encoding.PEM
    (folder / "ca.pem").write_bytes(ca.public_bytes(pem))
    (folder / "server.pem").write_bytes(server.public_bytes(pem))
    (folder / "server.key").write_bytes(
        key.private_bytes(
            pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )


def server_context(certs: Path) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certs / "server.pem", certs / "server.key")
    return context


def run_smtp(args: argparse.Namespace) -> None:
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Mailbox
    from aiosmtpd.smtp import AuthResult, LoginPassword

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == args.user
            and auth_data.password.decode() == args.password
        )
        return AuthResult(success=ok)

    context = server_context(Path(args.certs))
    common = dict(
        hostname="127.0.0.1",
        port=args.port,
        authenticator=authenticator,
        auth_required=True,
        ready_timeout=30,
    )
    handler = Mailbox(args.maildir)
    if args.mode == "starttls":
        controller = Controller(
            handler,
            tls_context=context,
            require_starttls=True,
            auth_require_tls=True,
            **common,
        )
    else:
        # The whole connection is TLS; aiosmtpd's auth_require_tls only knows STARTTLS.
        controller = implicit_tls_controller()(
            handler, ssl_context=context, auth_require_tls=False, **common
        )
    controller.start()
    print("ready", flush=True)
    while True:
        time.sleep(3600)


def implicit_tls_controller():
    from aiosmtpd.controller import Controller

    class ImplicitTls(Controller):
        """aiosmtpd's readiness probe speaks plain TCP; over implicit TLS it
        has to handshake as a client first."""

        def _trigger_server(self):
            import socket

            client = ssl.create_default_context()
            client.check_hostname = False
            client.verify_mode = ssl.CERT_NONE  # the probe only wakes the server up
            with socket.create_connection((self.hostname, self.port), 1.0) as raw:
                with client.wrap_socket(raw) as tls:
                    tls.recv(1024)

    return ImplicitTls


class HookHandler(http.server.BaseHTTPRequestHandler):
    log_file: Path = Path()
    lock = threading.Lock()

    def do_POST(self):  # noqa: N802 (http.server's naming)
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length).decode("utf-8")
        record = {
            "path": self.path,
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "body": body,
        }
        with self.lock, open(self.log_file, "a", encoding="utf-8") as log:
            log.write(json.dumps(record) + "\n")
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


def run_https(args: argparse.Namespace) -> None:
    HookHandler.log_file = Path(args.log)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), HookHandler)
    server.socket = server_context(Path(args.certs)).wrap_socket(
        server.socket, server_side=True
    )
    print("ready", flush=True)
    server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    certs = commands.add_parser("certs")
    certs.add_argument("folder")
    smtp = commands.add_parser("smtp")
    smtp.add_argument("--port", type=int, required=True)
    smtp.add_argument("--maildir", required=True)
    smtp.add_argument("--certs", required=True)
    smtp.add_argument("--mode", choices=["starttls", "tls"], required=True)
    smtp.add_argument("--user", required=True)
    smtp.add_argument("--password", required=True)
    https = commands.add_parser("https")
    https.add_argument("--port", type=int, required=True)
    https.add_argument("--certs", required=True)
    https.add_argument("--log", required=True)
    args = parser.parse_args()
    if args.command == "certs":
        write_certs(Path(args.folder))
    elif args.command == "smtp":
        run_smtp(args)
    else:
        run_https(args)


if __name__ == "__main__":
    sys.exit(main())
