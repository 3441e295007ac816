"""Certificate names from SFMOCK_TLS_NAMES: the generated certificate covers them (https://sfmock:8443 from
another container), and changing them regenerates it."""
from __future__ import annotations

from pathlib import Path

from cryptography import x509

from sfmock.settings import Settings
from sfmock.tls import ensure_certificate


def _names(cert_file: Path) -> tuple[set[str], set[str]]:
    cert = x509.load_pem_x509_certificate(cert_file.read_bytes())
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    return set(san.get_values_for_type(x509.DNSName)), {str(i)
                                                        for i in san.get_values_for_type(x509.IPAddress)}


def test_extra_names_are_covered_and_regenerate(tmp_path: Path) -> None:
    plain = ensure_certificate(Settings(data_dir=tmp_path))
    assert _names(plain.cert_file) == ({"localhost"}, {"127.0.0.1", "::1"})
    named = ensure_certificate(Settings(data_dir=tmp_path, tls_names="sfmock, SFMOCK.ci.internal,10.0.0.5"))
    assert _names(named.cert_file) == ({"localhost", "sfmock", "sfmock.ci.internal"},
                                       {"127.0.0.1", "::1", "10.0.0.5"})
    ca = x509.load_pem_x509_certificate(named.ca_file.read_bytes())
    x509.load_pem_x509_certificate(named.cert_file.read_bytes()).verify_directly_issued_by(ca)


def test_data_and_database_default_under_the_working_directory(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("SFMOCK_DATA_DIR", "SFMOCK_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    assert Settings().data_dir == tmp_path / "var"
    assert Settings().database_url == f"sqlite:///{tmp_path / 'var' / 'sfmock.db'}"
    monkeypatch.setenv("SFMOCK_DATA_DIR", str(tmp_path / "elsewhere"))
    assert Settings().database_url == f"sqlite:///{tmp_path / 'elsewhere' / 'sfmock.db'}"
