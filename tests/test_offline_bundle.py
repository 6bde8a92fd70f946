"""The offline bundle builder (`python3 -m tui.offline`) without network: the pip commands it
runs for each platform and Python version, the dependencies pip leaves out for another
platform (its markers are evaluated on the building machine), the bundle's layout, and the
install scripts, of which install.sh is run for real on a tiny wheelhouse with no package
index. CI (.ci/run) builds the real bundle for its own platform and installs it offline."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tui import offline

WINDOWS = offline.TARGETS["windows"]
LINUX = offline.TARGETS["linux"]


def make_wheel(folder: Path, name: str, version: str = "1.0", requires: tuple[str, ...] = ()):
    """A minimal, installable pure-Python wheel `name` that needs `requires`."""
    folder.mkdir(parents=True, exist_ok=True)
    dist = f"{name.replace('-', '_')}-{version}"
    path = folder / f"{dist}-py3-none-any.whl"
    info = f"{dist}.dist-info"
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    metadata += "".join(f"Requires-Dist: {r}\n" for r in requires)
    files = {
        f"{name.replace('-', '_')}_probe.py": "VALUE = 1\n",
        f"{info}/METADATA": metadata,
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\n"
        "Tag: py3-none-any\n",
    }
    record = "".join(f"{n},,\n" for n in files) + f"{info}/RECORD,,\n"
    with zipfile.ZipFile(path, "w") as zf:
        for member, text in {**files, f"{info}/RECORD": record}.items():
            zf.writestr(member, text)
    return path


# --- the commands ---------------------------------------------------------------------------------


def test_foreign_platforms_get_binary_wheels_for_their_python():
    dest = Path("/tmp/x")
    command = offline.download_command("py", ["app.whl"], dest, WINDOWS, "3.12")
    assert command[:4] == ["py", "-m", "pip", "download"]
    assert "--only-binary=:all:" in command  # never a source package to compile on the laptop
    pairs = list(itertools.pairwise(command))
    assert ("--platform", "win_amd64") in pairs
    assert ("--python-version", "3.12") in pairs and ("--implementation", "cp") in pairs
    assert ("--dest", str(dest)) in pairs and command[-1] == "app.whl"
    linux = offline.download_command("py", ["app.whl"], dest, LINUX, "3.13")
    assert ("--platform", "manylinux2014_x86_64") in itertools.pairwise(linux)
    assert ("--platform", "manylinux_2_28_x86_64") in itertools.pairwise(linux)


def test_this_machine_needs_no_platform_flags():
    command = offline.download_command("py", ["app.whl"], Path("d"), None, None)
    assert "--platform" not in command and "--python-version" not in command
    assert "--only-binary=:all:" in command


def test_the_app_wheel_is_built_without_its_dependencies():
    command = offline.app_wheel_command("py", Path("w"), Path("/src"))
    assert command == ["py", "-m", "pip", "wheel", "--no-deps", "--wheel-dir", "w", "/src"]


def test_the_check_resolves_from_the_bundle_alone():
    command = offline.check_command("py", Path("b/wheels"), WINDOWS, "3.11", Path("s"))
    assert {"--dry-run", "--no-index", "--isolated"} <= set(command)
    assert ("--find-links", "b/wheels") in itertools.pairwise(command)
    assert command[-1] == "udviklingsdag"


def test_the_supported_pythons_follow_requires_python():
    import tomllib

    with open(offline.ROOT / "pyproject.toml", "rb") as fh:
        requires = tomllib.load(fh)["project"]["requires-python"]
    assert requires == f">={offline.PYTHON_VERSIONS[0]}"
    assert offline.bundle_name("0.1.0") == "udviklingsdag-offline-0.1.0"


def test_the_wheel_is_built_from_a_clean_copy_of_the_packages(tmp_path):
    copy = offline.source_copy(tmp_path / "source")
    assert sorted(p.name for p in copy.iterdir()) == [
        "README.md",
        "exports",
        "models",
        "pyproject.toml",
        "screens",
        "tui",
    ]
    assert (copy / "tui" / "app.tcss").is_file() and (copy / "exports" / "fonts").is_dir()
    assert not list(copy.rglob("__pycache__"))


def test_an_installed_copy_says_where_to_build(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(offline, "ROOT", tmp_path)  # site-packages has no pyproject.toml
    assert offline.main([str(tmp_path / "dist")]) == 1
    assert "pyproject.toml" in capsys.readouterr().err
    assert not (tmp_path / "dist").exists()


# --- the dependencies pip leaves out ----------------------------------------------------------


@pytest.fixture
def wheelhouse(tmp_path):
    """The app needs qrcode (which needs colorama on Windows only) and textual, which needs
    markdown-it-py with its `linkify` extra."""
    make_wheel(tmp_path, "udviklingsdag", "0.1.0", ("qrcode>=8", "textual>=8.2,<9"))
    make_wheel(tmp_path, "qrcode", "8.2", ('colorama; sys_platform == "win32"',))
    make_wheel(tmp_path, "textual", "8.2.8", ("markdown-it-py[linkify]>=2.1.0",))
    make_wheel(
        tmp_path,
        "markdown-it-py",
        "4.0",
        ("mdurl~=0.1", 'linkify-it-py<3,>=1; extra == "linkify"', 'pytest; extra == "testing"'),
    )
    make_wheel(tmp_path, "mdurl", "0.1.2", ('tomli; python_version < "3.11"',))
    return tmp_path


def test_missing_requirements_use_the_targets_markers_and_extras(wheelhouse):
    windows = offline.marker_environment(WINDOWS, "3.12")
    linux = offline.marker_environment(LINUX, "3.12")
    assert offline.missing_requirements(wheelhouse, windows) == ["colorama", "linkify-it-py<3,>=1"]
    assert offline.missing_requirements(wheelhouse, linux) == ["linkify-it-py<3,>=1"]
    make_wheel(wheelhouse, "linkify-it-py", "2.0")
    make_wheel(wheelhouse, "colorama", "0.4.6")
    assert offline.missing_requirements(wheelhouse, windows) == []


def test_without_packaging_the_copy_inside_pip_is_used(wheelhouse, monkeypatch):
    monkeypatch.setitem(sys.modules, "packaging.requirements", None)  # import fails
    requirement, _invalid = offline._packaging()
    assert requirement.__module__.startswith("pip._vendor.packaging")
    windows = offline.marker_environment(WINDOWS, "3.13")
    assert "colorama" in offline.missing_requirements(wheelhouse, windows)


# --- building, with pip replaced by a fake -----------------------------------------------------


class FakePip:
    """Does what pip would do to the folders, from the wheelhouse fixture; records commands."""

    def __init__(self, source: Path):
        self.source = source
        self.commands: list[list[str]] = []

    def __call__(self, command):
        command = list(command)
        self.commands.append(command)
        verb = command[3]
        if verb == "wheel":
            dest = Path(command[command.index("--wheel-dir") + 1])
            make_wheel(dest, "udviklingsdag", "0.1.0", ("qrcode>=8", "textual>=8.2,<9"))
        elif verb == "download":
            dest = Path(command[command.index("--dest") + 1])
            dest.mkdir(parents=True, exist_ok=True)
            if "--no-deps" in command:
                for requirement in command[command.index("--no-deps") + 1 :]:
                    make_wheel(dest, requirement.split("<")[0].split(">")[0])
            else:  # as pip does on Linux: the host's markers, so no colorama
                for wheel in self.source.glob("*.whl"):
                    if not wheel.name.startswith(("colorama", "udviklingsdag")):
                        (dest / wheel.name).write_bytes(wheel.read_bytes())
                make_wheel(dest, "linkify-it-py", "2.0")


def test_build_makes_the_folder_and_zip_with_every_platform(wheelhouse, tmp_path):
    pip = FakePip(wheelhouse)
    archive = offline.build(tmp_path / "dist", [WINDOWS, LINUX], ("3.11", "3.12"), run=pip)
    name = offline.bundle_name(offline.app_version())
    assert archive == tmp_path / "dist" / f"{name}.zip"
    downloads = [c for c in pip.commands if c[3] == "download" and "--no-deps" not in c]
    assert len(downloads) == 4  # two platforms, two Pythons
    extra = [c for c in pip.commands if "--no-deps" in c and c[3] == "download"]
    assert [c[-1] for c in extra] == ["colorama", "colorama"]  # Windows only, each Python
    checks = [c for c in pip.commands if c[3:5] == ["--isolated", "install"]]
    assert len(checks) == 4 and all("--dry-run" in c for c in checks)
    with zipfile.ZipFile(archive) as zf:
        members = set(zf.namelist())
    for script in ("install.sh", "install.ps1", "install.cmd", "LAESMIG.txt", "indhold.json"):
        assert f"{name}/{script}" in members
    wheels = {m.split("/")[-1].split("-")[0] for m in members if m.startswith(f"{name}/wheels/")}
    assert wheels == {
        "udviklingsdag",
        "qrcode",
        "textual",
        "markdown_it_py",
        "mdurl",
        "linkify_it_py",
        "colorama",
    }
    contents = json.loads((tmp_path / "dist" / name / "indhold.json").read_text())
    assert contents["platforms"] == ["windows", "linux"] and contents["python"] == ["3.11", "3.12"]


def test_a_failing_pip_stops_the_build_with_a_danish_message(tmp_path, monkeypatch):
    monkeypatch.setattr(
        offline.subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(a, 1)
    )
    with pytest.raises(offline.BundleBuildError, match="pip fejlede"):
        offline.build(tmp_path, None, ("3.11",))


def test_bad_python_version_is_refused(capsys):
    with pytest.raises(SystemExit) as exit_:
        offline.main(["--python", "2.7"])
    assert exit_.value.code == 2
    assert "3.12" in capsys.readouterr().err


# --- the install scripts ----------------------------------------------------------------------


def test_install_scripts_install_from_the_bundle_only():
    scripts = offline.install_scripts(("3.11", "3.12"))
    for name, content in scripts.items():
        text = content.decode("utf-8-sig")
        assert "--no-index" in text and "--find-links" in text and "PIP_NO_INDEX" in text, name
    # Windows PowerShell 5.1 reads a script without a BOM as ANSI; cmd.exe wants CRLF.
    assert scripts["install.ps1"].startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in scripts["install.ps1"] and b"\n" not in scripts["install.ps1"].replace(
        b"\r\n", b""
    )
    assert b"\n" not in scripts["install.cmd"].replace(b"\r\n", b"")
    scripts["install.cmd"].decode("ascii")  # the console's code page shows no æ, ø, å
    assert b"\r" not in scripts["install.sh"]
    assert '@("3.11", "3.12")' in scripts["install.ps1"].decode("utf-8-sig")
    # The newest Python the bundle has is looked for first (py -3.12, then py -3.11).
    assert b"for %%v in (3.12 3.11) do" in scripts["install.cmd"]


def _offline_env(home: Path, python: str) -> dict[str, str]:
    """No pip configuration, no index, a proxy that answers nothing: as on the laptop."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "PYTHON": python,
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_NO_CACHE_DIR": "1",
        "http_proxy": "http://127.0.0.1:9",
        "https_proxy": "http://127.0.0.1:9",
    }


def _bundle(tmp_path: Path, versions: tuple[str, ...]) -> Path:
    bundle = tmp_path / "bundle"
    make_wheel(bundle / "wheels", "udviklingsdag", "0.1.0", ("mdurl",))
    make_wheel(bundle / "wheels", "mdurl", "0.1.2")
    (bundle / "install.sh").write_bytes(offline.install_scripts(versions)["install.sh"])
    return bundle


@pytest.mark.skipif(os.name != "posix", reason="install.sh is the Linux script")
def test_install_sh_installs_without_network(tmp_path):
    here = f"{sys.version_info[0]}.{sys.version_info[1]}"
    bundle = _bundle(tmp_path, (here,))
    venv = tmp_path / "venv"
    run = subprocess.run(
        ["sh", str(bundle / "install.sh"), str(venv)],
        env=_offline_env(tmp_path, sys.executable),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert f"{venv}/bin/udviklingsdag" in run.stdout
    probe = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import udviklingsdag_probe, mdurl_probe"],
        capture_output=True,
    )
    assert probe.returncode == 0, probe.stderr


@pytest.mark.skipif(os.name != "posix", reason="install.sh is the Linux script")
def test_install_sh_refuses_a_python_the_bundle_lacks(tmp_path):
    bundle = _bundle(tmp_path, ("3.99",))
    run = subprocess.run(
        ["sh", str(bundle / "install.sh"), str(tmp_path / "venv")],
        env=_offline_env(tmp_path, sys.executable),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1
    assert "er ikke med i pakken (den har 3.99)" in run.stderr
    assert not (tmp_path / "venv").exists()
