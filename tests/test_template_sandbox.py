"""Templates in a sandbox (#11, item 6): no code, no files outside the template folders."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

ESCAPE = "{{ cycler.__init__.__globals__.os.popen('id').read() }}"


def _office(cli, tmp_path: Path) -> Path:
    folder = tmp_path / "vorlagen"
    folder.mkdir()
    (tmp_path / "config.toml").write_text(f'templates_dir = "{folder}"\n', encoding="utf-8")
    result = cli("actors", "add", "Haus 12", "--kind", "social", "-d", "schmarl")
    assert result.exit_code == 0, result.output
    return folder


def _html_override(folder: Path, head: str) -> None:
    (folder / "contacts.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block content %}' + head
        + "<h1>Kontakte</h1>{% endblock %}", encoding="utf-8",
    )  # fmt: skip


@pytest.mark.parametrize("suffix", ["md", "html", "pdf"])
def test_the_cycler_escape_ends_in_one_error_and_no_document(cli, register, tmp_path, suffix):
    folder = _office(cli, tmp_path)
    (folder / f"contacts.{'md' if suffix == 'md' else 'html'}.j2").write_text(
        f"Kontakte {ESCAPE}\n", encoding="utf-8"
    )
    target = tmp_path / f"kontakte.{suffix}"
    result = cli("contacts", "render", "-o", str(target))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: template ")
    assert "not allowed in a template: access to attribute '__init__'" in lines[0]
    assert "uid=" not in result.output
    assert not target.exists()


def test_a_template_cannot_attach_a_local_file(cli, register, tmp_path):
    folder = _office(cli, tmp_path)
    _html_override(folder, '<link rel="attachment" href="file:///etc/passwd">')
    target = tmp_path / "kontakte.pdf"
    result = cli("contacts", "render", "-o", str(target))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines == [
        f"Error: the document loads file:///etc/passwd; a template may load only data: URLs "
        f"and files inside {folder} and {Path(__file__).parents[1] / 'templates'}"
    ]
    assert not target.exists()


@pytest.mark.parametrize(
    "href", ["../geheim.txt", "https://example.org/x.css", "file://localhost/etc/hostname"]
)
def test_nothing_outside_the_folders_loads(cli, register, tmp_path, href):
    folder = _office(cli, tmp_path)
    (tmp_path / "geheim.txt").write_text("geheim", encoding="utf-8")
    _html_override(folder, f'<link rel="attachment" href="{href}">')
    result = cli("contacts", "render", "--format", "pdf", "-o", str(tmp_path / "k.pdf"))
    assert result.exit_code == 1 and "a template may load only data: URLs" in result.stderr
    assert not (tmp_path / "k.pdf").exists()


def test_files_inside_the_template_folder_and_data_urls_still_load(cli, register, tmp_path):
    from pypdf import PdfReader

    folder = _office(cli, tmp_path)
    (folder / "hinweis.txt").write_text("Hinweis zur Liste", encoding="utf-8")
    _html_override(folder, '<link rel="attachment" href="hinweis.txt">'
                   '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">')  # fmt: skip
    target = tmp_path / "kontakte.pdf"
    result = cli("contacts", "render", "-o", str(target))
    assert result.exit_code == 0, result.output
    reader = PdfReader(io.BytesIO(target.read_bytes()))
    assert reader.attachments["hinweis.txt"] == [b"Hinweis zur Liste"]


def test_resource_rule():
    from stm.render import resource_allowed

    folder = Path(__file__).parent
    assert resource_allowed("data:text/plain,x", (folder,))
    assert resource_allowed(folder.joinpath("conftest.py").as_uri(), (folder,))
    assert not resource_allowed((folder / ".." / "pyproject.toml").as_uri(), (folder,))
    assert not resource_allowed("file:///etc/passwd", (folder,))
    assert not resource_allowed("http://127.0.0.1/", (folder,))
