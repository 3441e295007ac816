"""app/tls.py: a local CA and a localhost certificate, generated once, reused, trusted by a real TLS
client."""
from __future__ import annotations

import socket
import ssl
import threading
import types
from pathlib import Path

import pytest
from cryptography import x509

from sfmock.tls import ensure_certificate


def _settings(tmp_path: Path, **extra) -> types.SimpleNamespace:
    return types.SimpleNamespace(data_dir=tmp_path, tls_cert_file=None, tls_key_file=None, **extra)


def _handshake(files, host: str) -> str:
    """Serve one TLS connection with the generated pair; connect to `host` trusting only the CA file."""
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_ctx.load_cert_chain(files.cert_file, files.key_file)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family)
    listener.bind((host, 0))
    listener.listen(1)
    port = listener.getsockname()[1]

    def serve() -> None:
        conn, _ = listener.accept()
        try:
            with server_ctx.wrap_socket(conn, server_side=True) as tls:
                tls.sendall(b"ok")
        except ssl.SSLError:
            pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    client_ctx = ssl.create_default_context(cafile=str(files.ca_file))
    try:
        with socket.create_connection((host, port), timeout=5) as raw:
            with client_ctx.wrap_socket(raw, server_hostname=host) as tls:
                return tls.recv(2).decode()
    finally:
        thread.join(5)
        listener.close()


def test_generated_certificate_is_trusted_for_localhost_names(tmp_path):
    files = ensure_certificate(_settings(tmp_path))
    assert (
        files.ca_file == tmp_path / "tls" / "ca.pem" and files.cert_file.exists() and files.key_file.exists()
    )
    assert oct(files.key_file.stat().st_mode & 0o777) == "0o600"
    assert _handshake(files, "127.0.0.1") == "ok"
    assert _handshake(files, "localhost") == "ok"
    if socket.has_ipv6:
        try:
            assert _handshake(files, "::1") == "ok"
        except OSError:  # no IPv6 loopback in this sandbox
            pass


def test_an_untrusting_client_refuses_it(tmp_path):
    files = ensure_certificate(_settings(tmp_path))
    other = ensure_certificate(_settings(tmp_path / "other"))
    mixed = types.SimpleNamespace(cert_file=files.cert_file, key_file=files.key_file, ca_file=other.ca_file)
    with pytest.raises(ssl.SSLCertVerificationError):
        _handshake(mixed, "127.0.0.1")


def test_reused_while_valid_and_regenerated_when_broken(tmp_path):
    first = ensure_certificate(_settings(tmp_path))
    pem = first.cert_file.read_bytes()
    assert ensure_certificate(_settings(tmp_path)).cert_file.read_bytes() == pem  # reused
    first.key_file.write_text("not a key")
    second = ensure_certificate(_settings(tmp_path))
    assert second.cert_file.read_bytes() != pem  # regenerated as a whole: CA, certificate and key agree
    assert _handshake(second, "127.0.0.1") == "ok"


def test_certificate_names_and_ca_flags(tmp_path):
    files = ensure_certificate(_settings(tmp_path))
    cert = x509.load_pem_x509_certificate(files.cert_file.read_bytes())
    ca = x509.load_pem_x509_certificate(files.ca_file.read_bytes())
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.DNSName) == ["localhost"]
    assert {str(i) for i in names.get_values_for_type(x509.IPAddress)} == {"127.0.0.1", "::1"}
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is True
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False


def test_configured_files_are_used_as_given(tmp_path):
    generated = ensure_certificate(_settings(tmp_path / "gen"))
    configured = ensure_certificate(types.SimpleNamespace(
        data_dir=tmp_path / "unused", tls_cert_file=str(generated.cert_file),
        tls_key_file=str(generated.key_file)))
    assert configured.cert_file == generated.cert_file and configured.key_file == generated.key_file
    assert configured.ca_file is None  # signed by a CA we were not told about
    assert not (tmp_path / "unused" / "tls").exists()
    self_signed = types.SimpleNamespace(data_dir=tmp_path, tls_cert_file=str(generated.ca_file),
                                        tls_key_file=str(generated.key_file))
    assert ensure_certificate(self_signed).ca_file == generated.ca_file
