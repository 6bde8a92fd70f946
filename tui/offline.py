"""The offline bundle: everything a laptop without network needs to install the app.

Run on a machine with network, from a checkout of the project (the app need not be
installed; only Python 3.11+ with pip, since this module uses the standard library only):

    python3 -m tui.offline [MAPPE]

It writes `MAPPE/udviklingsdag-offline-<version>/` and the same as a `.zip`: a wheelhouse
(`wheels/`) with the app and every dependency for Windows (win_amd64) and Linux (manylinux
x86_64) for each supported Python version, and the install scripts `install.ps1`,
`install.cmd` (Windows) and `install.sh` (Linux, macOS with a Linux-like Python) that make a
virtual environment and install with `pip install --no-index --find-links wheels`.

A wheelhouse, not a single-file app (shiv, pex): a pex does not run on Windows, a shiv zipapp
unpacks its compiled wheels on first start into the user's profile and is built for one
platform; a wheelhouse needs nothing but the `py` launcher, `venv` and `pip` that every
Python installation has.

pip evaluates environment markers (`colorama; sys_platform == "win32"`) against the machine it
runs on even when `--platform` names another; `missing_requirements` reads every wheel's
metadata with the target's markers and the missing ones are fetched too, so a bundle built on
Linux installs on Windows."""

from __future__ import annotations

import email.parser
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
APP = "udviklingsdag"
# requires-python in pyproject.toml is >=3.11: the releases a municipal laptop may have.
PYTHON_VERSIONS = ("3.11", "3.12", "3.13", "3.14")
WHEELS = "wheels"

Runner = Callable[[Sequence[str]], None]


@dataclass(frozen=True)
class Target:
    """A platform the bundle installs on: pip's platform tags and the marker environment."""

    name: str
    platforms: tuple[str, ...]
    os_name: str
    sys_platform: str
    platform_system: str
    platform_machine: str


TARGETS = {
    "windows": Target("windows", ("win_amd64",), "nt", "win32", "Windows", "AMD64"),
    # glibc 2.17 (manylinux2014) and newer: every Linux a municipality runs today.
    "linux": Target(
        "linux",
        (
            "manylinux_2_28_x86_64",
            "manylinux_2_27_x86_64",
            "manylinux_2_26_x86_64",
            "manylinux_2_24_x86_64",
            "manylinux_2_17_x86_64",
            "manylinux2014_x86_64",
        ),
        "posix",
        "linux",
        "Linux",
        "x86_64",
    ),
}


class BundleBuildError(Exception):
    """Building the bundle failed; the message (Danish) says why and what to do."""


def normalize(name: str) -> str:
    """A distribution name as PEP 503 compares them (`Markdown_It.py` = `markdown-it-py`)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def app_version() -> str:
    """The version in pyproject.toml (the source of truth for the wheel that is built)."""
    import tomllib

    with open(ROOT / "pyproject.toml", "rb") as fh:
        return str(tomllib.load(fh)["project"]["version"])


def bundle_name(version: str) -> str:
    """`udviklingsdag-offline-<version>`: the folder, and the zip without `.zip`."""
    return f"{APP}-offline-{version}"


# --- the pip commands -------------------------------------------------------------------------


def app_wheel_command(python: str, dest: Path, root: Path = ROOT) -> list[str]:
    """pip builds the app's own wheel (pure Python: one wheel for every platform)."""
    return [python, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", str(dest), str(root)]


def download_command(
    python: str,
    requirements: Sequence[str],
    dest: Path,
    target: Target | None,
    python_version: str | None,
    *,
    deps: bool = True,
) -> list[str]:
    """pip downloads wheels (never source) of `requirements` into `dest`: for `target` and
    `python_version`, or for the running Python when both are None."""
    command = [python, "-m", "pip", "download", "--only-binary=:all:", "--dest", str(dest)]
    if target is not None:
        for platform in target.platforms:
            command += ["--platform", platform]
    if python_version is not None:
        command += ["--python-version", python_version, "--implementation", "cp"]
    if not deps:
        command.append("--no-deps")
    return [*command, *requirements]


def check_command(
    python: str, wheels: Path, target: Target, python_version: str, scratch: Path
) -> list[str]:
    """pip resolves the app from `wheels` alone for `target` and `python_version`, installing
    nothing: the bundle is complete for that platform (as far as pip can tell from here)."""
    command = [python, "-m", "pip", "--isolated", "install", "--dry-run", "--quiet"]
    command += ["--no-index", "--find-links", str(wheels), "--only-binary=:all:"]
    for platform in target.platforms:
        command += ["--platform", platform]
    command += ["--python-version", python_version, "--implementation", "cp"]
    # --target: pip checks the wheels for another platform only when it installs into a folder.
    command += ["--ignore-installed", "--target", str(scratch / "check"), APP]
    return command


# --- what pip left out: the target's own markers -----------------------------------------------


def _packaging() -> tuple[Any, Any]:
    """(Requirement, InvalidRequirement) from `packaging`, or the copy inside pip."""
    import importlib

    try:
        module = importlib.import_module("packaging.requirements")
    except ImportError:  # pip always carries it
        module = importlib.import_module("pip._vendor.packaging.requirements")
    return module.Requirement, module.InvalidRequirement


def marker_environment(target: Target, python_version: str) -> dict[str, str]:
    """The values of PEP 508 markers on `target` with CPython `python_version`."""
    return {
        "implementation_name": "cpython",
        "implementation_version": f"{python_version}.0",
        "os_name": target.os_name,
        "platform_machine": target.platform_machine,
        "platform_python_implementation": "CPython",
        "platform_release": "",
        "platform_system": target.platform_system,
        "platform_version": "",
        "python_full_version": f"{python_version}.0",
        "python_version": python_version,
        "sys_platform": target.sys_platform,
    }


def _wheel_name(path: Path) -> str:
    return normalize(path.name.split("-", 1)[0])


def wheel_requirements(path: Path) -> list[str]:
    """The `Requires-Dist` lines of a wheel's METADATA."""
    with zipfile.ZipFile(path) as zf:
        names = [n for n in zf.namelist() if re.fullmatch(r"[^/]+\.dist-info/METADATA", n)]
        if not names:
            return []
        text = zf.read(names[0]).decode("utf-8", "replace")
    message = email.parser.Parser().parsestr(text, headersonly=True)
    return [str(value) for value in message.get_all("Requires-Dist") or []]


def missing_requirements(
    wheel_dir: Path, environment: dict[str, str], root: str = APP
) -> list[str]:
    """What the wheels in `wheel_dir` need on the platform of `environment` (markers and extras
    evaluated as there) but no wheel in `wheel_dir` provides, starting from `root`: the
    requirements to fetch (markers removed), sorted. Empty when the folder is complete."""
    requirement_class, invalid = _packaging()
    wheels = {_wheel_name(p): p for p in sorted(wheel_dir.glob("*.whl"))}
    if normalize(root) not in wheels:
        return [root]
    wanted: dict[str, set[str]] = {normalize(root): set()}
    specs: dict[str, str] = {}
    seen: set[tuple[str, str]] = set()
    queue = [(normalize(root), "")]
    while queue:
        name, extra = queue.pop()
        if (name, extra) in seen:
            continue
        seen.add((name, extra))
        wheel = wheels.get(name)
        if wheel is None:
            continue
        for line in wheel_requirements(wheel):
            try:
                requirement = requirement_class(line)
            except invalid:
                continue
            marker = requirement.marker
            if marker is not None and not marker.evaluate({**environment, "extra": extra}):
                continue
            dependency = normalize(requirement.name)
            extras = {normalize(e) for e in requirement.extras}
            wanted.setdefault(dependency, set()).update(extras)
            specs.setdefault(dependency, f"{requirement.name}{requirement.specifier}")
            queue.extend((dependency, e) for e in {"", *extras})
    return sorted(specs[name] for name in wanted if name not in wheels and name in specs)


# --- the install scripts ------------------------------------------------------------------------

_SH = """#!/bin/sh
# Installs udviklingsdag without network from the wheels next to this script.
#   sh install.sh [MAPPE]     (default: .venv next to this script)
# Another Python than python3: PYTHON=python3.12 sh install.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
venv=${1:-"$here/.venv"}
python=${PYTHON:-python3}
supported="@VERSIONS@"
version=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])') || {
  echo "Fandt ikke Python ($python). Installér Python $supported, og prøv igen." >&2
  exit 1
}
case " $supported " in
  *" $version "*) ;;
  *)
    echo "Python $version er ikke med i pakken (den har $supported). Installér en af dem," >&2
    echo "eller vælg en anden Python, der er installeret: PYTHON=python3.12 sh install.sh" >&2
    exit 1
    ;;
esac
export PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --no-index --find-links "$here/wheels" \\
  --upgrade udviklingsdag
echo "udviklingsdag er installeret. Start programmet med: $venv/bin/udviklingsdag"
"""

_PS1 = """# Installs udviklingsdag without network from the wheels next to this script.
#   powershell -ExecutionPolicy Bypass -File install.ps1 [-Venv MAPPE]
# (default: .venv next to this script). Where scripts are blocked, use install.cmd.
param([string]$Venv = (Join-Path $PSScriptRoot ".venv"))
# Continue, not Stop: Windows PowerShell 5.1 stops at any line a program writes to stderr;
# every step checks $LASTEXITCODE instead.
$ErrorActionPreference = "Continue"
$supported = @(@VERSIONS@)
$wheels = Join-Path $PSScriptRoot "wheels"
$python = $null
# The newest Python the bundle has wheels for, through the py launcher (python.org).
if (Get-Command py -ErrorAction SilentlyContinue) {
    foreach ($v in $supported[($supported.Count - 1)..0]) {
        $found = & py "-$v" -c "import sys; print(sys.executable)" 2>$null
        if ($LASTEXITCODE -eq 0 -and $found) { $python = $found; break }
    }
}
# Else the python command (Microsoft Store), if its version is one of them.
if (-not $python -and (Get-Command python -ErrorAction SilentlyContinue)) {
    $found = & python -c "import sys; print('%d.%d' % sys.version_info[:2])" 2>$null
    if ($LASTEXITCODE -eq 0 -and $supported -contains $found) { $python = "python" }
}
if (-not $python) {
    Write-Host "Fandt ikke Python $($supported -join ', ') (pakken har kun wheel-filer til dem)."
    Write-Host "Installér en af dem fra python.org (Install for me only), og prøv igen."
    exit 1
}
$env:PIP_NO_INDEX = "1"
$env:PIP_DISABLE_PIP_VERSION_CHECK = "1"
& $python -m venv $Venv
if ($LASTEXITCODE -ne 0) { Write-Host "Kunne ikke oprette $Venv."; exit 1 }
& (Join-Path $Venv "Scripts\\python.exe") -m pip install --quiet --no-index `
    --find-links $wheels --upgrade udviklingsdag
if ($LASTEXITCODE -ne 0) { Write-Host "Installationen mislykkedes (se ovenfor)."; exit 1 }
Write-Host "udviklingsdag er installeret. Start programmet i Windows Terminal med:"
Write-Host "  $(Join-Path $Venv 'Scripts\\udviklingsdag.exe')"
"""

# cmd.exe shows text in the console's OEM code page: ASCII only (no æ, ø, å) in this one.
_CMD = """@echo off
rem Installs udviklingsdag without network from the wheels next to this script.
rem   install.cmd [MAPPE]   (default: .venv next to this script)
rem Without MAPPE (a double click) it waits for a key at the end, so the window stays open.
setlocal
set "HERE=%~dp0"
set "VENV=%~1"
if "%VENV%"=="" set "VENV=%HERE%.venv"
set PIP_NO_INDEX=1
set PIP_DISABLE_PIP_VERSION_CHECK=1
rem The newest Python the bundle has wheels for (py launcher), else the python command.
set "PY="
for %%v in (@NEWEST_FIRST@) do if not defined PY (py -%%v -c "" >nul 2>nul && set "PY=py -%%v")
if not defined PY (python -c "" >nul 2>nul && set "PY=python")
if not defined PY goto nopython
%PY% -m venv "%VENV%" || goto failed
"%VENV%\\Scripts\\python.exe" -m pip install --quiet --no-index ^
  --find-links "%HERE%wheels" --upgrade udviklingsdag || goto failed
echo udviklingsdag er installeret. Start programmet i Windows Terminal med:
echo   "%VENV%\\Scripts\\udviklingsdag.exe"
if "%~1"=="" pause
exit /b 0
:nopython
echo Fandt ikke Python @VERSIONS@. Installer en af dem fra python.org, og proev igen.
if "%~1"=="" pause
exit /b 1
:failed
echo Installationen mislykkedes. Pakken har Python @VERSIONS@; se fejlen ovenfor.
if "%~1"=="" pause
exit /b 1
"""


def install_scripts(versions: Sequence[str]) -> dict[str, bytes]:
    """The install scripts by file name, as bytes: Windows scripts with CRLF line ends (cmd.exe
    misreads labels otherwise), install.ps1 with a BOM (Windows PowerShell 5.1 reads a file
    without one in the ANSI code page, which garbles æ, ø, å)."""
    listed = " ".join(versions)
    sh = _SH.replace("@VERSIONS@", listed)
    ps1 = _PS1.replace("@VERSIONS@", ", ".join(f'"{v}"' for v in versions))
    newest_first = " ".join(sorted(versions, key=lambda v: tuple(map(int, v.split("."))))[::-1])
    cmd = _CMD.replace("@VERSIONS@", listed).replace("@NEWEST_FIRST@", newest_first)
    return {
        "install.sh": sh.encode("utf-8"),
        "install.ps1": b"\xef\xbb\xbf" + ps1.replace("\n", "\r\n").encode("utf-8"),
        "install.cmd": cmd.replace("\n", "\r\n").encode("ascii"),
    }


def readme_text(version: str, targets: Sequence[Target], versions: Sequence[str]) -> str:
    """LAESMIG.txt: what the bundle is and the two commands that install it."""
    platforms = " og ".join(t.name.capitalize() for t in targets)
    return f"""udviklingsdag {version}, til installation uden net
Indhold: programmet og alt, det bruger, til {platforms}, Python {", ".join(versions)}.

Windows (PowerShell, i denne mappe):
  py -m venv .venv
  .venv\\Scripts\\pip install --no-index --find-links wheels udviklingsdag
  .venv\\Scripts\\udviklingsdag
(eller dobbeltklik på install.cmd). Brug Windows Terminal, mindst 80x24 tegn.

Linux:
  sh install.sh
  .venv/bin/udviklingsdag
"""


# --- building -----------------------------------------------------------------------------------


def _run(command: Sequence[str]) -> None:
    print("$", " ".join(command), flush=True)
    result = subprocess.run(list(command), check=False)
    if result.returncode != 0:
        raise BundleBuildError(
            f"pip fejlede (kode {result.returncode}) under: {' '.join(command[:5])} … "
            "Tjek netforbindelsen og fejlen ovenfor, og prøv igen."
        )


def source_copy(dest: Path, root: Path = ROOT) -> Path:
    """What the app's wheel is built from, copied to `dest`: pyproject.toml, README.md and the
    packages pyproject.toml lists. A build in the checkout itself would leave `build/` there,
    and setuptools puts what an earlier build left in `build/` into the next wheel."""
    import tomllib

    with open(root / "pyproject.toml", "rb") as fh:
        packages = tomllib.load(fh)["tool"]["setuptools"]["packages"]
    dest.mkdir(parents=True)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(root / name, dest / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for top in sorted({str(p).split(".")[0] for p in packages}):
        shutil.copytree(root / top, dest / top, ignore=ignore)
    return dest


def _merge(source: Path, dest: Path) -> None:
    for wheel in source.glob("*.whl"):
        if not (dest / wheel.name).exists():
            shutil.copy2(wheel, dest / wheel.name)


def fetch_for(
    python: str,
    app_wheel: Path,
    dest: Path,
    target: Target | None,
    python_version: str | None,
    run: Runner = _run,
) -> None:
    """Download the app's dependencies for one platform and Python into `dest`, then whatever
    the target's own markers add (see module docstring), until nothing is missing."""
    run(download_command(python, [str(app_wheel)], dest, target, python_version))
    if target is None or python_version is None:
        return  # this machine: pip evaluated the markers right
    if not (dest / app_wheel.name).exists():
        shutil.copy2(app_wheel, dest / app_wheel.name)  # where the check starts
    environment = marker_environment(target, python_version)
    for _round in range(10):
        missing = missing_requirements(dest, environment)
        if not missing:
            return
        run(download_command(python, missing, dest, target, python_version, deps=False))
    raise BundleBuildError(
        f"Afhængighederne til {target.name}, Python {python_version} blev ikke færdige: "
        f"{', '.join(missing_requirements(dest, environment))}."
    )


def build(
    out: Path,
    targets: Sequence[Target] | None,
    versions: Sequence[str],
    *,
    python: str = sys.executable,
    run: Runner = _run,
) -> Path:
    """Build the bundle folder and its zip in `out`; returns the zip. `targets` None: only
    the running platform and Python (what CI installs and tests)."""
    version = app_version()
    folder = out / bundle_name(version)
    if folder.exists():
        shutil.rmtree(folder)
    wheels = folder / WHEELS
    wheels.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="udviklingsdag-offline-") as scratch:
        work = Path(scratch)
        run(app_wheel_command(python, work / "app", source_copy(work / "source")))
        app_wheels = sorted((work / "app").glob(f"{APP}-*.whl"))
        if not app_wheels:
            raise BundleBuildError("pip byggede ikke programmets egen wheel-fil.")
        app_wheel = app_wheels[-1]
        shutil.copy2(app_wheel, wheels / app_wheel.name)
        if targets is None:
            here = work / "here"
            fetch_for(python, app_wheel, here, None, None, run)
            _merge(here, wheels)
        else:
            for target in targets:
                for python_version in versions:
                    dest = work / f"{target.name}-{python_version}"
                    fetch_for(python, app_wheel, dest, target, python_version, run)
                    _merge(dest, wheels)
            for target in targets:
                for python_version in versions:
                    run(check_command(python, wheels, target, python_version, work))
    shown_versions = (
        (f"{sys.version_info[0]}.{sys.version_info[1]}",) if targets is None else versions
    )
    shown_targets = targets or [_this_target()]
    for name, content in install_scripts(shown_versions).items():
        (folder / name).write_bytes(content)
    (folder / "install.sh").chmod(0o755)
    (folder / "LAESMIG.txt").write_text(
        readme_text(version, shown_targets, shown_versions), encoding="utf-8"
    )
    contents = {
        "version": version,
        "platforms": [t.name for t in shown_targets],
        "python": list(shown_versions),
        "wheels": sorted(p.name for p in wheels.glob("*.whl")),
    }
    (folder / "indhold.json").write_text(json.dumps(contents, indent=2) + "\n", encoding="utf-8")
    return _zip(folder)


def _this_target() -> Target:
    return TARGETS["windows"] if os.name == "nt" else TARGETS["linux"]


def _zip(folder: Path) -> Path:
    """The folder as `<folder>.zip` with the folder at its top (wheels are compressed already:
    stored as they are)."""
    target = folder.with_name(folder.name + ".zip")
    tmp = target.with_name(target.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, f"{folder.name}/{path.relative_to(folder).as_posix()}")
    os.replace(tmp, target)
    return target


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main(argv: Sequence[str] | None = None) -> int:
    from tui.cli import DanishParser

    parser = DanishParser(
        prog="python3 -m tui.offline",
        description="Bygger en pakke til installation uden net (kør den på en maskine med net).",
    )
    parser.add_argument("mappe", nargs="?", default="dist", help="hvor pakken skrives (dist)")
    parser.add_argument(
        "--platform",
        action="append",
        choices=sorted(TARGETS),
        help="kun denne platform (kan gentages; standard: windows og linux)",
    )
    parser.add_argument(
        "--python",
        action="append",
        metavar="VERSION",
        help=f"kun denne Python-version (kan gentages; standard: {' '.join(PYTHON_VERSIONS)})",
    )
    parser.add_argument(
        "--kun-denne",
        action="store_true",
        help="kun til denne maskines platform og Python (hurtigt; det, CI tester)",
    )
    args = parser.parse_args(argv)
    for wanted in args.python or []:
        if not re.fullmatch(r"3\.1[1-9]", wanted):
            parser.error(f"--python {wanted}: skriv en version som 3.12 (3.11 eller nyere)")
    if not (ROOT / "pyproject.toml").is_file():
        print(
            "Pakken bygges fra en kopi af projektet (mappen med pyproject.toml), ikke fra et "
            "installeret program. Hent projektet, og kør kommandoen i dets mappe.",
            file=sys.stderr,
        )
        return 1
    try:
        import pip  # noqa: F401
    except ImportError:
        print(
            "Denne Python har ikke pip. Brug fx .venv/bin/python -m tui.offline.",
            file=sys.stderr,
        )
        return 1
    targets = None if args.kun_denne else [TARGETS[n] for n in args.platform or sorted(TARGETS)]
    versions = tuple(args.python or PYTHON_VERSIONS)
    started = time.monotonic()
    try:
        archive = build(Path(args.mappe), targets, versions)
    except (BundleBuildError, OSError) as exc:
        print(f"Pakken blev ikke bygget: {exc}", file=sys.stderr)
        return 1
    folder = archive.with_suffix("")
    count = len(list((folder / WHEELS).glob("*.whl")))
    print(
        f"Skrevet: {archive} ({archive.stat().st_size / 1e6:.1f} MB, {count} wheel-filer; "
        f"mappen {folder}, {_size(folder) / 1e6:.1f} MB) på {time.monotonic() - started:.0f} s."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
