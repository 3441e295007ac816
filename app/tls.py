"""The HTTPS listener's certificate: the configured files, or a local CA and a localhost certificate it signs,
generated once into data_dir/tls and reused while valid.

simple-salesforce forces https:// on every REST call (wire-captures/README.md), so an unmodified client needs
an HTTPS listener; it trusts the generated CA through REQUESTS_CA_BUNDLE (or a session with verify=ca_file).
"""
from __future__ import annotations

import datetime as dt
import fcntl
import ipaddress
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_NAME = "sfmock local CA"
DNS_NAMES = ("localhost",)
IP_ADDRESSES = ("127.0.0.1", "::1")
CA_DAYS = 3650
SERVER_DAYS = 825  # the longest lifetime clients such as Apple's accept for a server certificate
RENEW_BEFORE = dt.timedelta(days=7)


@dataclass(frozen=True)
class TlsFiles:
    cert_file: Path
    key_file: Path
    # The certificate a client should trust; None when configured files were given and are not self-signed.
    ca_file: Path | None


def ensure_certificate(settings: Any) -> TlsFiles:
    """settings.tls_cert_file / tls_key_file when both are set; otherwise data_dir/tls/{ca.pem, server.pem,
    server-key.pem}, generated when missing, expiring within a week, or not matching each other."""
    cert, key = getattr(settings, "tls_cert_file", None), getattr(settings, "tls_key_file", None)
    if cert and key:
        cert, key = Path(cert), Path(key)
        return TlsFiles(cert, key, cert if _self_signed(cert) else None)
    folder = Path(settings.data_dir) / "tls"
    folder.mkdir(parents=True, exist_ok=True)
    files = TlsFiles(folder / "server.pem", folder / "server-key.pem", folder / "ca.pem")
    dns, ips = names(settings)
    with _locked(folder / ".lock"):
        if not _valid(files, dns, ips):
            _generate(files, dns, ips)
    return files


def names(settings: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The DNS names and IP addresses the certificate covers: localhost and loopback, plus settings.tls_names
    (comma-separated; e.g. "sfmock" so that other containers can use https://sfmock:8443)."""
    dns, ips = list(DNS_NAMES), list(IP_ADDRESSES)
    for name in (getattr(settings, "tls_names", "") or "").split(","):
        name = name.strip()
        if not name:
            continue
        try:
            ips.append(str(ipaddress.ip_address(name)))
        except ValueError:
            dns.append(name.lower())
    return tuple(dict.fromkeys(dns)), tuple(dict.fromkeys(ips))


# --- checking -----------------------------------------------------------------------------------------
def _self_signed(cert_file: Path) -> bool:
    try:
        cert = x509.load_pem_x509_certificate(cert_file.read_bytes())
    except (OSError, ValueError):
        return False
    return cert.issuer == cert.subject


def _valid(files: TlsFiles, dns_names: tuple[str, ...] = DNS_NAMES,
           ip_addresses: tuple[str, ...] = IP_ADDRESSES) -> bool:
    """Present, parseable, signed by our CA, matching key, covering our names, not about to expire."""
    assert files.ca_file is not None  # only sfmock's own folder is checked, and it holds the CA
    try:
        ca = x509.load_pem_x509_certificate(files.ca_file.read_bytes())
        cert = x509.load_pem_x509_certificate(files.cert_file.read_bytes())
        key = serialization.load_pem_private_key(files.key_file.read_bytes(), password=None)
    except (OSError, ValueError, TypeError):
        return False
    soon = dt.datetime.now(dt.UTC) + RENEW_BEFORE
    if cert.not_valid_after_utc < soon or ca.not_valid_after_utc < soon:
        return False
    if cert.issuer != ca.subject or cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ) != key.public_key().public_bytes(serialization.Encoding.DER,
                                       serialization.PublicFormat.SubjectPublicKeyInfo):
        return False
    try:
        cert.verify_directly_issued_by(ca)
        names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except Exception:  # noqa: BLE001 - InvalidSignature, ExtensionNotFound...: any doubt means regenerate
        return False
    dns = set(names.get_values_for_type(x509.DNSName))
    ips = {str(i) for i in names.get_values_for_type(x509.IPAddress)}
    return set(dns_names) <= dns and set(ip_addresses) <= ips


# --- generating ---------------------------------------------------------------------------------------
def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "sfmock"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _generate(files: TlsFiles, dns_names: tuple[str, ...] = DNS_NAMES,
              ip_addresses: tuple[str, ...] = IP_ADDRESSES) -> None:
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name(CA_NAME)).issuer_name(_name(CA_NAME))
        .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now).not_valid_after(now + dt.timedelta(days=CA_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                     content_commitment=False, key_encipherment=False,
                                     data_encipherment=False,
                                     key_agreement=False, encipher_only=False,
                                     decipher_only=False), critical=True)
        .add_extension(ca_ski, critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    alt_names = [x509.DNSName(n) for n in dns_names] + [x509.IPAddress(ipaddress.ip_address(i))
                                                        for i in ip_addresses]
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("localhost")).issuer_name(ca.subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now).not_valid_after(now + dt.timedelta(days=SERVER_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_encipherment=False, key_cert_sign=False,
                                     crl_sign=False, content_commitment=False, data_encipherment=False,
                                     key_agreement=True, encipher_only=False,
                                     decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName(alt_names), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    assert files.ca_file is not None  # only sfmock's own folder is generated, and it holds the CA
    _write(files.ca_file, ca.public_bytes(pem), 0o644)
    _write(files.key_file, key.private_bytes(pem, serialization.PrivateFormat.PKCS8,
                                             serialization.NoEncryption()), 0o600)
    _write(files.cert_file, cert.public_bytes(pem), 0o644)
    # The CA's key is not kept: nothing else is ever signed with it, so it cannot be misused.


def _write(path: Path, data: bytes, mode: int) -> None:
    """Atomic replace, so a reader never sees half a file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    os.fchmod(fd, mode)  # a leftover temporary file keeps its old mode through O_CREAT: the key stays 0600
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One process at a time checks and generates (two servers starting together share one certificate)."""
    with open(path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
