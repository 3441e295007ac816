"""The `sfmock` command: serve, migrate, load orgs, read the outbox, reset."""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

from sfmock.settings import get_settings


def _settings_from(args: argparse.Namespace):  # noqa: ANN202
    for option, env in (("host", "SFMOCK_HOST"), ("port", "SFMOCK_PORT"), ("https_port", "SFMOCK_HTTPS_PORT"),
                        ("database_url", "SFMOCK_DATABASE_URL"),
                        ("email_to_case_port", "SFMOCK_EMAIL_TO_CASE_PORT")):
        value = getattr(args, option, None)
        if value is not None:
            os.environ[env] = str(value)
    get_settings.cache_clear()
    return get_settings()


def _db(settings):  # noqa: ANN001, ANN202
    from sfmock.persistence.db import Database

    return Database(settings.database_url)


def cmd_migrate(args: argparse.Namespace) -> int:
    from sfmock.persistence.migrate import upgrade

    settings = _settings_from(args)
    upgrade(settings.database_url)
    print(f"sfmock: database migrated ({settings.database_url})")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from sfmock.orgs.demo_org import is_empty, load_demo
    from sfmock.persistence.migrate import upgrade
    from sfmock.server import check_ports, serve

    settings = _settings_from(args)
    check_ports(settings)
    upgrade(settings.database_url)
    db = _db(settings)
    with db.session() as session:
        if args.load_demo_if_empty and is_empty(session):
            org = load_demo(session)
            print(f"sfmock: demo org '{org.name}' loaded ({org.org_id}); log in as admin@acme.example")
    if args.org:
        _load_at_start(db, args.org)
    db.dispose()
    serve(settings, workers=args.workers)
    return 0


def _load_at_start(db, path: str) -> None:  # noqa: ANN001
    """`serve --org PATH`: load the folder unless it is already loaded (a restart keeps the org), or reload
    it, keeping its id, when its files changed since; usernames taken by any other org are an error."""
    from sfmock.orgs.sources import load_at_start

    with db.session() as session:
        done = load_at_start(session, path)
    print({"loaded": f"sfmock: org '{done.name}' loaded from {path} ({done.org_id})",
           "kept": f"sfmock: org from {path} already loaded ({done.org_id})",
           "reloaded": f"sfmock: org '{done.name}' reloaded from {path}: its files changed ({done.org_id}; "
                       "its records, mail and journal were cleared)"}[done.outcome], flush=True)


def cmd_org_load(args: argparse.Namespace) -> int:
    from sfmock.orgs.install import install
    from sfmock.orgs.metadata import load_org_folder

    settings = _settings_from(args)
    bundle = load_org_folder(args.path)
    with _db(settings).session() as session:
        org = install(session, bundle, unique_logins=args.unique_logins)
    print(json.dumps({"id": org.org_id, "name": org.name, "usernames": sorted(org.usernames.values())}))
    return 0


def cmd_org_list(args: argparse.Namespace) -> int:
    from sfmock.persistence.orgs import list_orgs

    with _db(_settings_from(args)).session() as session:
        for org in list_orgs(session):
            print(f"{org['id']}  {org['name']}")
    return 0


def cmd_reset(args: argparse.Namespace) -> int:
    from sfmock.orgs.demo_org import reset

    with _db(_settings_from(args)).session() as session:
        reset(session, empty=args.empty)
    print("sfmock: reset" + (" (empty)" if args.empty else " to the demo org"))
    return 0


def cmd_outbox(args: argparse.Namespace) -> int:
    from sfmock.persistence.outbox import list_mail

    db = _db(_settings_from(args))
    if args.org:
        from sfmock.cli_faults import _org_id

        with db.session() as session:
            args.org = _org_id(session, args.org)
    seen = 0
    while True:
        with db.session() as session:
            rows = [r for r in list_mail(session, org_id=args.org) if r["id"] > seen]
        for row in rows:
            print(f"{row['created_at']}  {row['api']:4}  to={row['recipient']}  record={row['record_id']}  "
                  f"{row['subject']}", flush=True)
            seen = row["id"]
        if not args.follow:
            return 0
        time.sleep(0.5)


MAX_WORKERS = 64


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("sfmock")
    except PackageNotFoundError:
        return "unknown"


def _workers(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= MAX_WORKERS:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to {MAX_WORKERS}, not {text!r}")
    return int(text)


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"must be a port number from 1 to 65535, not {text!r}")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sfmock",
                                     description="A local emulator of Salesforce's SOAP and REST APIs.")
    parser.add_argument("--version", action="version", version=f"sfmock {_version()}",
                        help="print sfmock's version and exit")
    sub = parser.add_subparsers(dest="command", required=True)

    def with_db(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--database-url",
                       help="SQLAlchemy URL (default: SFMOCK_DATABASE_URL or ./var/sfmock.db)")
        return p

    serve = with_db(sub.add_parser("serve", help="migrate, then serve HTTP and HTTPS"))
    serve.add_argument("--host", help="listen address (default: SFMOCK_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=_port, help="HTTP port (default: SFMOCK_PORT or 8000)")
    serve.add_argument("--https-port", type=_port, help="HTTPS port (default: SFMOCK_HTTPS_PORT or 8443)")
    serve.add_argument("--workers", type=_workers, default=1,
                       help=f"server processes sharing the database, 1 to {MAX_WORKERS} (default: 1)")
    serve.add_argument("--email-to-case-port", type=_port,
                       help="also listen for Email-to-Case mail by SMTP here")
    serve.add_argument("--org", help="a metadata folder to load as an org before serving")
    serve.add_argument("--load-demo-if-empty", action="store_true",
                       help="load the demo org into an empty database")
    serve.set_defaults(func=cmd_serve)
    with_db(sub.add_parser("migrate",
                           help="bring the database schema up to date")).set_defaults(func=cmd_migrate)
    org = sub.add_parser("org", help="orgs").add_subparsers(dest="org_command", required=True)
    load = with_db(org.add_parser("load", help="load a metadata folder as a new org"))
    load.add_argument("path", help="an SFDX project or metadata folder with sfmock-org.toml at its root")
    load.add_argument("--unique-logins", action="store_true",
                      help="suffix usernames and client ids with the org id (several orgs from the same "
                           "files)")
    load.set_defaults(func=cmd_org_load)
    with_db(org.add_parser("list", help="list orgs")).set_defaults(func=cmd_org_list)
    outbox = with_db(sub.add_parser("outbox", help="print the outbox"))
    outbox.add_argument("--follow", action="store_true", help="keep printing mail as it is written")
    outbox.add_argument("--org", help="only this org's mail (18-character org id)")
    outbox.set_defaults(func=cmd_outbox)
    reset = with_db(sub.add_parser("reset", help="remove every org and load the demo org again"))
    reset.add_argument("--empty", action="store_true", help="leave no org at all (no demo org)")
    reset.set_defaults(func=cmd_reset)
    from sfmock.cli_faults import add_commands as add_fault_commands

    add_fault_commands(sub, with_db)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # one clear line, no traceback, non-zero exit
        print(f"sfmock: error: {one_line(error)}", file=sys.stderr)
        return 1


def one_line(error: BaseException) -> str:
    """The error as one line: bad settings name the variable, an unmigrated database says what to run."""
    from pydantic import ValidationError
    from sqlalchemy.exc import DBAPIError

    if isinstance(error, ValidationError):
        problems = [f"SFMOCK_{'_'.join(str(p) for p in e['loc']).upper()}: {e['msg']}"
                    for e in error.errors()]
        return "bad setting " + "; ".join(problems)
    if isinstance(error, DBAPIError):
        text = str(error.orig)
        if "no such table" in text or ("relation" in text and "does not exist" in text):
            return "the database is not migrated: run `sfmock migrate` (or `sfmock serve`, which migrates)"
        return f"database: {text.splitlines()[0] if text else type(error.orig).__name__}"
    return " ".join(str(error).split()) or type(error).__name__


if __name__ == "__main__":
    sys.exit(main())
