from xlat.cli import run

raise SystemExit(run())
