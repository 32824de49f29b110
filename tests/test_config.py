"""`stm config`: known keys, validation that names the file and key."""

from __future__ import annotations

import json


def test_show_lists_defaults(cli):
    result = cli("config", "show", "--json")
    values = json.loads(result.stdout)
    assert values["timezone"] == "Europe/Berlin"
    assert values["language"] == "de"
    assert values["letterhead.name"] == "Stadtteilmanagement"


def test_set_writes_the_file_and_keeps_other_keys(cli, tmp_path):
    assert cli("config", "set", "letterhead.name", "Stadtteilmanagement Schmarl").exit_code == 0
    assert cli("config", "set", "language", "en").exit_code == 0
    text = (tmp_path / "config.toml").read_text()
    assert 'name = "Stadtteilmanagement Schmarl"' in text and 'language = "en"' in text
    values = json.loads(cli("config", "show", "--json").stdout)
    assert values["letterhead.name"] == "Stadtteilmanagement Schmarl"


def test_path(cli, tmp_path):
    assert cli("config", "path").stdout.strip() == str(tmp_path / "config.toml")


def test_set_unknown_key_suggests(cli, tmp_path):
    result = cli("config", "set", "letterhead.nam", "X")
    assert result.exit_code == 2
    assert "did you mean 'letterhead.name'?" in result.stderr
    assert not (tmp_path / "config.toml").exists()


def test_set_invalid_language_and_timezone(cli, tmp_path):
    assert cli("config", "set", "language", "fr").exit_code == 2
    result = cli("config", "set", "timezone", "Europe/Rostock")
    assert result.exit_code == 2
    assert "unknown time zone 'Europe/Rostock'" in result.stderr
    assert not (tmp_path / "config.toml").exists()


def test_unknown_key_in_file_names_file_and_key(cli, register, tmp_path):
    (tmp_path / "config.toml").write_text('timezone = "Europe/Berlin"\ncolour = "blue"\n')
    result = cli("actors", "list")
    assert result.exit_code == 2
    assert result.stderr == f"Error: {tmp_path / 'config.toml'}: unknown key 'colour'\n"


def test_wrong_type_in_file_names_file_and_key(cli, register, tmp_path):
    (tmp_path / "config.toml").write_text("[letterhead]\nphone = 381123\n")
    result = cli("actors", "list")
    assert result.exit_code == 2
    assert str(tmp_path / "config.toml") in result.stderr
    assert "key 'letterhead.phone' must be a str, not int" in result.stderr


def test_broken_toml_is_reported(cli, register, tmp_path):
    (tmp_path / "config.toml").write_text("timezone = \n")
    result = cli("actors", "list")
    assert result.exit_code == 2
    assert "not valid TOML" in result.stderr
