"""Typed settings, read from the environment once and passed to `create_app(settings)`."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    host: str = ""
    port: int = 25
    username: str = ""
    password: str = ""
    use_tls: bool = False
    sender: str = "Socle <ne-pas-repondre@socle.localhost>"


@dataclass(frozen=True, slots=True)
class WorkerSettings:
    """The outbox worker: batch size, polling, leases, retries (see docs/notify.md)."""

    batch_size: int = 20
    poll_seconds: float = 1.0
    # A claimed message is locked this long; a killed worker's messages are picked up again after it.
    lease_seconds: float = 60.0
    max_attempts: int = 8
    backoff_seconds: float = 10.0  # first retry delay, doubled after each failure
    backoff_max_seconds: float = 3600.0
    webhook_timeout_seconds: float = 10.0
    smtp_timeout_seconds: float = 30.0
    sms_provider: str = "log"


def local_base_url(host: str, port: int) -> str:
    """The address links point to when SOCLE_BASE_URL is not set: the one the server listens on."""
    return f"http://{'127.0.0.1' if host in ('', '0.0.0.0', '::') else host}:{port}"


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path
    database_url: str
    secret_key: str
    base_url: str = "http://127.0.0.1:8000"
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    strict_plugins: bool = False
    debug: bool = False
    # Failed logins allowed per email (and per address) in `login_window_seconds` before refusal.
    login_max_failures: int = 5
    login_window_seconds: int = 900
    # « Mot de passe oublié » requests accepted per address and per IP in `reset_window_seconds`.
    reset_max_per_email: int = 3
    reset_max_per_ip: int = 10
    reset_window_seconds: int = 3600
    # Run the outbox worker inside the web process (`socle serve`, embedded setup). Off in tests.
    run_worker: bool = False
    worker: WorkerSettings = field(default_factory=WorkerSettings)
    # Webhook destinations (SSRF guard, docs/notify.md): plain http:// and internal addresses (loopback, private,
    # link-local, reserved) are refused unless allowed. Only for development and tests with loopback receivers.
    webhook_allow_http: bool = False
    webhook_allow_private_networks: bool = False
    # Operations (docs/deploy.md): /metrics answers only with `Authorization: Bearer <metrics_token>` (404 when
    # unset); `log_json` writes one JSON object per log line (with the request id, as every line has).
    metrics_token: str = ""
    log_json: bool = False
    # Per-office circuit breaker of plugins (API 1.1): after `breaker_failures` failures of one job or provider
    # of a module for one office within `breaker_window_seconds`, it is paused `breaker_pause_seconds`.
    breaker_failures: int = 5
    breaker_window_seconds: int = 600
    breaker_pause_seconds: int = 300

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgres://", "postgresql://"))

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        data_dir = Path(env.get("SOCLE_DATA_DIR", ".data")).resolve()
        database_url = env.get("SOCLE_DATABASE_URL", f"sqlite:///{data_dir / 'socle.sqlite'}")
        return cls(
            data_dir=data_dir,
            database_url=database_url,
            secret_key=env.get("SOCLE_SECRET_KEY") or _dev_secret(data_dir),
            base_url=(env.get("SOCLE_BASE_URL")
                      or local_base_url("127.0.0.1", int(env.get("PORT") or 8000))).rstrip("/"),
            smtp=SmtpSettings(
                host=env.get("SOCLE_SMTP_HOST", ""),
                port=int(env.get("SOCLE_SMTP_PORT", "25")),
                username=env.get("SOCLE_SMTP_USERNAME", ""),
                password=env.get("SOCLE_SMTP_PASSWORD", ""),
                use_tls=env.get("SOCLE_SMTP_TLS", "0") == "1",
                sender=env.get("SOCLE_SMTP_SENDER", SmtpSettings().sender),
            ),
            strict_plugins=env.get("SOCLE_STRICT_PLUGINS", "0") == "1",
            debug=env.get("SOCLE_DEBUG", "0") == "1",
            run_worker=env.get("SOCLE_RUN_WORKER", "1") == "1",
            worker=_worker_settings(env),
            webhook_allow_http=env.get("SOCLE_WEBHOOK_ALLOW_HTTP", "0") == "1",
            webhook_allow_private_networks=env.get("SOCLE_WEBHOOK_ALLOW_PRIVATE", "0") == "1",
            metrics_token=env.get("SOCLE_METRICS_TOKEN", ""),
            log_json=env.get("SOCLE_LOG_JSON", "0") == "1",
            breaker_failures=int(env.get("SOCLE_BREAKER_FAILURES", "5")),
            breaker_window_seconds=int(env.get("SOCLE_BREAKER_WINDOW_SECONDS", "600")),
            breaker_pause_seconds=int(env.get("SOCLE_BREAKER_PAUSE_SECONDS", "300")),
        )


def _worker_settings(env: os._Environ[str] | dict[str, str]) -> WorkerSettings:
    default = WorkerSettings()
    return WorkerSettings(
        batch_size=int(env.get("SOCLE_WORKER_BATCH_SIZE", default.batch_size)),
        poll_seconds=float(env.get("SOCLE_WORKER_POLL_SECONDS", default.poll_seconds)),
        lease_seconds=float(env.get("SOCLE_WORKER_LEASE_SECONDS", default.lease_seconds)),
        max_attempts=int(env.get("SOCLE_WORKER_MAX_ATTEMPTS", default.max_attempts)),
        backoff_seconds=float(env.get("SOCLE_WORKER_BACKOFF_SECONDS", default.backoff_seconds)),
        backoff_max_seconds=float(env.get("SOCLE_WORKER_BACKOFF_MAX_SECONDS", default.backoff_max_seconds)),
        webhook_timeout_seconds=float(env.get("SOCLE_WEBHOOK_TIMEOUT_SECONDS", default.webhook_timeout_seconds)),
        smtp_timeout_seconds=float(env.get("SOCLE_SMTP_TIMEOUT_SECONDS", default.smtp_timeout_seconds)),
        sms_provider=env.get("SOCLE_SMS_PROVIDER", default.sms_provider),
    )


def _dev_secret(data_dir: Path) -> str:
    """A secret kept in the data dir so sessions survive restarts of a development server."""
    path = data_dir / "secret_key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
    return path.read_text().strip()
