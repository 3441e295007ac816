"""The one settings class: every knob is an `SFMOCK_` environment variable."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# The source checkout (tests and tools use it); never where data goes: an installed sfmock's PROJECT_ROOT is
# site-packages.
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SFMOCK_", extra="ignore")

    # Data (the SQLite database, generated TLS files) lives under the working directory's ./var, or data_dir.
    data_dir: Path = Field(default_factory=lambda: Path.cwd() / "var")
    # Default: sqlite:///<data_dir>/sfmock.db.
    database_url: str = ""
    host: str = "127.0.0.1"
    port: int = 8000
    https_port: int = 8443
    # Certificate and key for the HTTPS listener; generated into data_dir when not given.
    tls_cert_file: Path | None = None
    tls_key_file: Path | None = None
    # Extra names the generated certificate covers, comma-separated (e.g. "sfmock,sfmock.ci.internal").
    tls_names: str = ""
    # A copy of the CA certificate is written here at start (a volume other containers mount), when set.
    tls_ca_export: Path | None = None
    # Base URL put in serverUrl / instance_url; None means: from the request's scheme and Host.
    public_url: str | None = None
    min_api_version: float = 31.0
    max_api_version: float = 68.0
    admin_api: bool = True
    # When set, every /_sfmock call must present it (Authorization: Bearer <token>); see app/admin/guard.py.
    admin_token: str | None = None
    # Host names the /_sfmock API answers besides the loopback ones, comma-separated ("*": any).
    allowed_hosts: str = ""
    # Salesforce retired SOAP login() from API 65.0 on; set true to allow it on every version anyway.
    soap_login_all_versions: bool = False
    # Largest request body accepted (bytes), for SOAP and REST alike.
    max_body_bytes: int = Field(default=8 * 1024 * 1024, ge=1024)
    # Seconds a session (SOAP sessionId / OAuth access token) stays valid.
    session_seconds: int = 7200
    # Daily API request limit reported in LimitInfoHeader / Sforce-Limit-Info.
    api_request_limit: int = 5_000_000
    # Seconds a write waits for another writer's lock before it answers UNABLE_TO_LOCK_ROW (Salesforce waits
    # at most 10 s for a record lock: Knowledge Article 000229525).
    lock_wait_seconds: float = Field(default=10.0, gt=0)

    # Email-to-Case: the port of an SMTP listener receiving mail for the orgs' routing addresses (off: None).
    email_to_case_port: int | None = None
    # Logging (app/logs.py): the level of sfmock's loggers (info shows each request and each SOAP/REST fault),
    # and "text" or "json" lines.
    log_level: Literal["debug", "info", "warning", "error", "critical"] = "info"
    log_format: Literal["text", "json"] = "text"
    # SMTP relay of outbox rows (app/relay.py); off while smtp_host is unset. smtp_tls: "none", "starttls"
    # (upgrade a plain connection) or "ssl" (implicit TLS, usually port 465).
    smtp_host: str | None = None
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_tls: Literal["none", "starttls", "ssl"] = "none"
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_from: str = "noreply@sfmock.local"
    smtp_timeout: float = Field(default=10.0, gt=0)
    smtp_max_attempts: int = Field(default=5, ge=1)
    # Backoff: the n-th retry waits smtp_retry_seconds * 2**(n-1).
    smtp_retry_seconds: float = Field(default=2.0, ge=0)
    smtp_poll_seconds: float = Field(default=1.0, gt=0)

    @field_validator("log_level", "log_format", "smtp_tls", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _database_in_data_dir(self) -> Settings:
        self.data_dir = Path(self.data_dir).expanduser().resolve()
        if not self.database_url:
            self.database_url = f"sqlite:///{self.data_dir / 'sfmock.db'}"
        return self

    def api_versions(self) -> list[str]:
        """Every supported API version as text, oldest first ("31.0" … "68.0")."""
        low, high = int(self.min_api_version), int(self.max_api_version)
        return [f"{v}.0" for v in range(low, high + 1)]

    def supports_version(self, version: str) -> bool:
        return version in self.api_versions()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
