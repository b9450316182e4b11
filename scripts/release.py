"""Prepare a release: one command that bumps the version, dates the changelog, builds and checks
the sdist and wheel, and commits and tags. Pushing the tag publishes it
(.github/workflows/release.yml, PyPI trusted publishing).

    python scripts/release.py 0.2.0          # then: git push origin main v0.2.0

The version lives in one place, package.json; the Python package's version is read from it at
build time (hatch-nodejs-version) and at run time from the installed metadata.
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VERSION = re.compile(r"^\d+\.\d+\.\d+((a|b|rc)\d+)?$")


def run(*command: str, cwd: Path = ROOT) -> str:
    return subprocess.run(command, cwd=cwd, check=True, capture_output=True, text=True).stdout


def bump_package_json(version: str) -> None:
    path = ROOT / "package.json"
    text = path.read_text()
    current = json.loads(text)["version"]
    # A textual replace keeps the file's formatting exactly as prettier wants it.
    path.write_text(text.replace(f'"version": "{current}"', f'"version": "{version}"', 1))


def date_changelog(version: str) -> None:
    """The topmost "## <version> (unreleased)" (or "## Unreleased") heading gets today's date."""
    path = ROOT / "CHANGELOG.md"
    text = path.read_text()
    heading = re.compile(
        rf"^## (?:{re.escape(version)} \(unreleased\)|Unreleased)$", re.MULTILINE | re.IGNORECASE
    )
    if not heading.search(text):
        sys.exit(f"CHANGELOG.md has no '## {version} (unreleased)' section: write it first")
    today = datetime.date.today().isoformat()
    path.write_text(heading.sub(f"## {version} ({today})", text, count=1))


def build_and_check() -> None:
    """Build from a pristine copy, as CI and PyPI users get it, and run twine's checks."""
    with tempfile.TemporaryDirectory() as work:
        subprocess.run(["bash", "-c", f"git archive HEAD | tar -x -C {work}"], cwd=ROOT, check=True)
        run(sys.executable, "-m", "build", "--outdir", f"{work}/dist", work)
        dists = sorted(str(p) for p in Path(work, "dist").iterdir())
        run(sys.executable, "-m", "twine", "check", "--strict", *dists)
        print("built and checked:", ", ".join(Path(d).name for d in dists))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("version", help="the new version, e.g. 0.2.0")
    args = parser.parse_args()
    if not VERSION.match(args.version):
        sys.exit(f"{args.version!r} is not a release version (X.Y.Z, or X.Y.ZrcN)")
    if run("git", "status", "--porcelain").strip():
        sys.exit("the working tree has uncommitted changes: commit or stash them first")
    bump_package_json(args.version)
    date_changelog(args.version)
    run("git", "commit", "-am", f"Release {args.version}")
    build_and_check()
    run("git", "tag", "-a", f"v{args.version}", "-m", f"colab-ext {args.version}")
    print(f"tagged v{args.version}; publish with: git push origin HEAD v{args.version}")


if __name__ == "__main__":
    main()
