"""`hotdash-roleplay`: opens the app, or does headless work through subcommands.

Every refusal is one clear line on stderr and exit code 1 (2 for a mistyped command line);
never a traceback."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from hotdash_roleplay import __version__
from hotdash_roleplay.errors import InvalidFile, UserError

if TYPE_CHECKING:
    from hotdash_roleplay.certification.views import PersonCertification
    from hotdash_roleplay.cli_args import StoreArgs
    from hotdash_roleplay.services import Services

MAX_DB_URL = 2000


def _store_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        type=Path,
        default=argparse.SUPPRESS,
        help="folder of the SQLite store (default: the user data folder)",
    )
    common.add_argument(
        "--db",
        default=argparse.SUPPRESS,
        help="database URL, e.g. postgresql+psycopg://user@host/db (or HOTDASH_DB_URL)",
    )
    return common


class _NotTheApp(Exception):
    """The command line is more than opening the app: the full parser reads it."""


class _AppOnlyParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _NotTheApp(message)


def _app_options(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--demo", action="store_true", help="open the app on a ready demo session")
    return parser


def _app_args(argv: Sequence[str]) -> argparse.Namespace | None:
    """The app's own options (no command, no --help or --version), read without building
    every command's parser, a few milliseconds of the app's start; None for anything else,
    which the full parser reads (and words any mistake of)."""
    parser = _app_options(_AppOnlyParser(add_help=False, parents=[_store_options()]))
    try:
        args, rest = parser.parse_known_args(argv)
    except _NotTheApp:
        return None
    if rest:
        return None
    args.command = None
    return args


def build_parser() -> argparse.ArgumentParser:
    common = _store_options()
    parser = argparse.ArgumentParser(
        prog="hotdash-roleplay",
        description="Live role-play training for HotDash operators. Without a command: the app.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _app_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    scenarios = sub.add_parser("scenarios", help="list or validate scenario files")
    ssub = scenarios.add_subparsers(dest="action", metavar="ACTION", required=True)
    ssub.add_parser("list", help="the scenario library", parents=[common])
    validate = ssub.add_parser("validate", help="check scenario files", parents=[common])
    validate.add_argument("paths", nargs="+", type=Path, metavar="PATH")

    plan = sub.add_parser("plan", help="print a rotation for a roster", parents=[common])
    plan.add_argument("--people", required=True, help='comma-separated names: "Ann,Ben,Cat,Dev"')
    plan.add_argument("--rounds", type=int, default=None)
    plan.add_argument("--seed", type=int, default=0)
    plan.add_argument("--json", dest="json_out", action="store_true", help="JSON output")

    people = sub.add_parser("people", help="people remembered across sessions")
    psub = people.add_subparsers(dest="action", metavar="ACTION", required=True)
    psub.add_parser("list", help="everyone in the store", parents=[common])

    sessions = sub.add_parser("sessions", help="stored sessions")
    sesub = sessions.add_subparsers(dest="action", metavar="ACTION", required=True)
    sesub.add_parser("list", help="every session, newest first", parents=[common])

    export = sub.add_parser("export", help="write a debrief report, a peer-review record or data")
    esub = export.add_subparsers(dest="what", metavar="WHAT", required=True)
    debrief = esub.add_parser(
        "debrief", help="the debrief report of a session (PDF)", parents=[common]
    )
    debrief.add_argument("session", metavar="SESSION", help="id, uid or title (sessions list)")
    debrief.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.pdf")
    review = esub.add_parser(
        "peer-review", help="a participant's peer-review record (PDF)", parents=[common]
    )
    review.add_argument("person", metavar="PERSON", help="id or name (people list)")
    review.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.pdf")
    review.add_argument("--from", dest="date_from", type=_date, metavar="YYYY-MM-DD")
    review.add_argument("--to", dest="date_to", type=_date, metavar="YYYY-MM-DD")
    cert_pdf = esub.add_parser(
        "certification", help="a candidate's certification record (PDF)", parents=[common]
    )
    cert_pdf.add_argument("person", metavar="PERSON", help="id or name (people list)")
    cert_pdf.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.pdf")
    cert_pdf.add_argument(
        "--credential-json",
        action="store_true",
        help="also save the signed certificate beside the PDF (FILE.json)",
    )
    cred = esub.add_parser(
        "credential", help="a person's signed certificate (Open Badges 3.0 JSON)", parents=[common]
    )
    cred.add_argument("person", metavar="PERSON", help="id or name (people list)")
    cred.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.json")
    revoked = esub.add_parser(
        "revocations", help="the signed list of revoked certificates (JSON)", parents=[common]
    )
    revoked.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.json")
    data = esub.add_parser(
        "session", help="a whole session as JSON (importable) or CSV", parents=[common]
    )
    data.add_argument("session", metavar="SESSION", help="id, uid or title (sessions list)")
    data.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.json|FILE.csv")

    metrics = sub.add_parser("metrics", help="weekly metrics for the certification")
    msub = metrics.add_subparsers(dest="action", metavar="ACTION", required=True)
    mimp = msub.add_parser(
        "import",
        help="weekly figures from the support tool's CSV (all or nothing)",
        parents=[common],
    )
    mimp.add_argument("file", type=Path, metavar="FILE.csv")
    mimp.add_argument(
        "--create-people", action="store_true", help="add people the store does not know yet"
    )
    mimp.add_argument(
        "--by", default=None, metavar="NAME", help="who imports (kept with replaced figures)"
    )

    cert = sub.add_parser("certification", help="Expert Operator Certification progress")
    csub = cert.add_subparsers(dest="action", metavar="ACTION", required=True)
    cstatus = csub.add_parser(
        "status", help="one person's requirements and steps", parents=[common]
    )
    cstatus.add_argument("person", metavar="PERSON", help="id or name (people list)")
    cstatus.add_argument("--json", dest="json_out", action="store_true", help="JSON output")
    clist = csub.add_parser("list", help="everyone, one line each", parents=[common])
    clist.add_argument("--json", dest="json_out", action="store_true", help="JSON output")

    crevoke = csub.add_parser(
        "revoke", help="revoke a signed certificate, with the reason", parents=[common]
    )
    crevoke.add_argument("credential", metavar="CREDENTIAL_ID", help="urn:uuid:... (its id)")
    crevoke.add_argument("--reason", required=True, help="why it is revoked (kept and published)")
    crevoke.add_argument("--by", default=None, metavar="NAME", help="who revokes (default: you)")

    verify = sub.add_parser(
        "verify",
        help="check a certificate (JSON) or a certification record PDF; exit 0 only if valid",
        parents=[common],
    )
    verify.add_argument("file", type=Path, metavar="FILE", help="credential .json or record .pdf")
    verify.add_argument(
        "--revocation-list",
        type=Path,
        metavar="FILE.json",
        help="a revocation list exported by the issuer (export revocations)",
    )
    verify.add_argument(
        "--issuer",
        action="append",
        default=[],
        metavar="DID",
        help="trust this issuer's did:key too (repeatable); the store's own are trusted",
    )
    verify.add_argument("--json", dest="json_out", action="store_true", help="JSON output")

    imp = sub.add_parser(
        "import", help="add a session exported as JSON (twice adds nothing)", parents=[common]
    )
    imp.add_argument("file", type=Path, metavar="FILE.json")
    return parser


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2025-03-14") from None


@dataclass(frozen=True)
class AppArgs:
    """What opening the app takes; argparse has typed it, the store checks the URL itself."""

    db: str | None = None
    data_dir: Path | None = None
    demo: bool = False

    @classmethod
    def from_namespace(cls, args: argparse.Namespace) -> AppArgs:
        db = getattr(args, "db", None)
        if db is not None and not 0 < len(db) <= MAX_DB_URL:
            raise UserError(f"--db takes a database URL of 1 to {MAX_DB_URL} characters.")
        return cls(db=db, data_dir=getattr(args, "data_dir", None), demo=bool(args.demo))


AppOpener = Callable[[AppArgs], int]


def main(argv: Sequence[str] | None = None, open_app: AppOpener | None = None) -> int:
    """Run a command. `open_app` starts the desktop app; the `ui` package passes it in, since
    the core never imports the UI."""
    given = sys.argv[1:] if argv is None else list(argv)
    args = _app_args(given) or build_parser().parse_args(given)

    def _open_app(args: argparse.Namespace) -> int:
        if open_app is None:
            raise UserError("The desktop app is not available here; use a subcommand (--help).")
        return open_app(AppArgs.from_namespace(args))

    handlers: dict[str | None, Callable[[argparse.Namespace], int]] = {
        None: _open_app,
        "scenarios": _scenarios,
        "plan": _plan,
        "people": _people,
        "sessions": _sessions,
        "export": _export,
        "import": _import,
        "metrics": _metrics,
        "certification": _certification,
        "verify": _verify,
    }
    try:
        return handlers[args.command](args)
    except InvalidFile as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    except UserError as exc:
        print(f"hotdash-roleplay: {exc}", file=sys.stderr)
        return 1
    except ValueError as exc:  # pydantic's ValidationError is one; imported only when needed
        from pydantic import ValidationError

        if not isinstance(exc, ValidationError):
            raise
        from hotdash_roleplay.validation import describe

        print(f"hotdash-roleplay: {describe(exc, limit=1, whole='input')}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _store_args(args: argparse.Namespace) -> StoreArgs:
    from hotdash_roleplay.cli_args import StoreArgs

    return StoreArgs.model_validate(vars(args))


@contextmanager
def _services(args: argparse.Namespace) -> Iterator[Services]:
    """The open store for one command, closed after it; a database error met on the way
    (damage the check at open cannot see, a full disk, a lost server) is one clear line."""
    from hotdash_roleplay.services import open_services

    where = _store_args(args)
    services = open_services(where.db, where.data_dir)
    try:
        yield services
    except Exception as exc:
        failure = services.failure(exc)
        if failure is None:
            raise
        raise failure from exc
    finally:
        services.close()


def _scenarios(args: argparse.Namespace) -> int:
    from hotdash_roleplay.scenarios import load_library, load_scenarios

    if args.action == "validate":
        found = load_scenarios(args.paths)
        for scenario in found:
            print(f"ok  {scenario.id}  {scenario.title}")
        return 0
    for scenario in load_library().scenarios:
        print(f"{scenario.id:<28} M{scenario.module}  {scenario.difficulty:<9} {scenario.title}")
    return 0


def _plan(args: argparse.Namespace) -> int:
    from hotdash_roleplay.cli_args import PlanArgs
    from hotdash_roleplay.rotation import Role, generate_rotation

    opts = PlanArgs(
        people=args.people.split(","), rounds=args.rounds, seed=args.seed, json_out=args.json_out
    )
    rounds = generate_rotation(opts.people, rounds=opts.rounds, seed=opts.seed)
    trainer = "(trainer)"
    if opts.json_out:
        payload = {
            "seed": opts.seed,
            "rounds": [
                {
                    "round": i + 1,
                    Role.OPERATOR.value: r.operator,
                    Role.AI_SYSTEM.value: r.ai_system,
                    Role.FACILITATOR.value: r.facilitator or trainer,
                    Role.OBSERVER.value: list(r.observers),
                }
                for i, r in enumerate(rounds)
            ],
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return 0
    header = ["Round", *(role.label for role in Role)]
    rows = [
        [str(i + 1), r.operator, r.ai_system, r.facilitator or trainer, ", ".join(r.observers)]
        for i, r in enumerate(rounds)
    ]
    _print_table(header, rows)
    return 0


def _people(args: argparse.Namespace) -> int:
    with _services(args) as services:
        people = services.people.list_people()
    if not people:
        print("No people yet: they are remembered when a session is created.")
        return 0
    _print_table(["Id", "Name", "Sessions"], [[str(p.id), p.name, str(p.sessions)] for p in people])
    return 0


def _sessions(args: argparse.Namespace) -> int:
    with _services(args) as services:
        sessions = services.sessions.list_sessions()
    if not sessions:
        print("No sessions yet.")
        return 0
    rows = [
        [
            str(s.id),
            s.created_at.strftime("%Y-%m-%d"),
            s.status,
            s.title,
            f"{min(s.current_round, s.round_count)}/{s.round_count}",
            ", ".join(s.participants),
        ]
        for s in sessions
    ]
    _print_table(["Id", "Date", "Status", "Title", "Rounds", "People"], rows)
    return 0


def _export(args: argparse.Namespace) -> int:
    with _services(args) as services:
        if args.what == "credential":
            issued = services.credentials.latest(args.person)
            if issued is None:
                raise UserError(f"{args.person} has no certificate: it is issued with the award.")
            path = services.credentials.save_json(issued.credential_id, args.output)
            print(f"Wrote certificate {issued.credential_id} of {issued.person} to {path}")
            return 0
        if args.what == "revocations":
            path = services.credentials.export_revocations(args.output)
            print(f"Wrote the revocation list to {path}")
            return 0
        if args.what == "certification":
            record = services.certification.person(args.person)
            path = services.certification.export_record(
                record.name, args.output, json_beside=args.credential_json
            )
            print(f"Wrote the certification record of {record.name} to {path}")
            if args.credential_json:
                print(f"Wrote its signed certificate to {path.with_suffix('.json')}")
            return 0
        if args.what == "peer-review":
            person = services.people.get(args.person)
            path = services.reports.export_peer_review(
                person.name, args.output, args.date_from, args.date_to
            )
            print(f"Wrote the peer-review record of {person.name} to {path}")
            return 0
        session = services.sessions.find(args.session)
        if args.what == "debrief":
            path = services.reports.export_debrief(session.id, args.output)
            print(f"Wrote the debrief report of {session.title!r} to {path}")
        else:
            path = services.session_data.export(session.id, args.output)
            print(f"Wrote session {session.title!r} to {path}")
    return 0


def _import(args: argparse.Namespace) -> int:
    with _services(args) as services:
        result = services.session_data.import_file(args.file)
    print(result.message)
    return 0


def _who(given: str | None) -> str:
    """--by, or the OS user."""
    import getpass

    if given is not None:
        return given
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name in the environment
        return "command line"


def _verify(args: argparse.Namespace) -> int:
    with _services(args) as services:
        verdict = services.credentials.verify(
            args.file, revocation_list=args.revocation_list, trust=args.issuer
        )
    if args.json_out:
        print(json.dumps(verdict.as_json(), ensure_ascii=False, indent=2))
    else:
        print("\n".join(verdict.lines()))
    return 0 if verdict.valid else 1


def _metrics(args: argparse.Namespace) -> int:
    by = _who(args.by)
    with _services(args) as services:
        result = services.certification.import_metrics(
            args.file, by, create_people=args.create_people
        )
    print(result.message)
    return 0


def _certification(args: argparse.Namespace) -> int:
    if args.action == "revoke":
        with _services(args) as services:
            issued = services.credentials.revoke(args.credential, args.reason, _who(args.by))
        print(f"Revoked {issued.credential_id} ({issued.person}): {issued.revocation_reason}")
        return 0
    with _services(args) as services:
        if args.action == "status":
            record = services.certification.person(args.person)
            if args.json_out:
                print(json.dumps(record.status_json(), ensure_ascii=False, indent=2))
            else:
                _print_certification(record)
            return 0
        overview = services.certification.overview()
    if args.json_out:
        print(json.dumps([r.as_json() for r in overview.rows], ensure_ascii=False, indent=2))
        return 0
    if not overview.rows:
        print("No people yet.")
        return 0
    rows = [
        [
            str(r.person_id),
            r.name,
            r.status_text,
            f"{r.met_count}/{len(r.statuses)}",
            f"{r.current_run_weeks}/{r.longest_run_weeks}",
            r.next_step.label if r.next_step else "—",
        ]
        for r in overview.rows
    ]
    _print_table(["Id", "Name", "Status", "Requirements met", "Run now/best", "Next step"], rows)
    return 0


def _print_certification(record: PersonCertification) -> None:
    print(f"{record.name}: {record.state.label}" + (" (eligible)" if record.eligible else ""))
    if record.revoked is not None:
        print(record.verdict)
    if record.recertification_note:
        print(record.recertification_note)
    print()
    for r in record.requirements:
        print(f"[{r.status.label}] {r.label}")
        if r.detail:
            print(f"    {r.detail}")
    m = record.metrics
    print(f"\nWeekly metrics: current run {m.current_run_weeks}, longest {m.longest_run_weeks}")
    print("\nProcess:")
    for s in record.steps:
        done = f"{s.record.on.isoformat()} by {s.record.by}" if s.record else "not recorded"
        print(f"  {s.step.label}: {done}")


def _print_table(header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(c) for c in col) for col in zip(header, *rows, strict=False)]
    for line in [header, *rows]:
        print("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=False)).rstrip())


if __name__ == "__main__":
    sys.exit(main())
