"""Console entry point: headless subcommands run without Qt; no subcommand opens the app."""

from __future__ import annotations

import sys

from hotdash_roleplay.cli import AppArgs
from hotdash_roleplay.cli import main as cli_main


def _open_app(args: AppArgs) -> int:
    from ui.app import run_app  # Qt loads only when the app opens

    return run_app(db_url=args.db, data_dir=args.data_dir, demo=args.demo)


def main() -> int:
    return cli_main(sys.argv[1:], open_app=_open_app)


if __name__ == "__main__":
    sys.exit(main())
