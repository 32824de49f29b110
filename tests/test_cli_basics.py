"""The CLI's shape: help everywhere, fast startup, singular/plural names, exit codes."""

from __future__ import annotations

import subprocess
import sys

import pytest

from stm.cli import COMMANDS, load_command


def _walk(command, path=()):
    subcommands = getattr(command, "commands", None)
    if subcommands is None:
        yield path, command
        return
    for name, sub in subcommands.items():
        yield from _walk(sub, (*path, name))


ALL_COMMANDS = [
    (" ".join((entry.name, *path)), command)
    for entry in COMMANDS
    for path, command in _walk(load_command(entry))
]


@pytest.mark.parametrize(("name", "command"), ALL_COMMANDS, ids=[n for n, _ in ALL_COMMANDS])
def test_every_command_has_help_and_an_example(name, command):
    assert command.help and len(command.help.strip()) > 20, f"stm {name} has no help text"
    assert "Example" in command.help, f"stm {name} --help shows no example"


@pytest.mark.parametrize("entry", COMMANDS, ids=[e.name for e in COMMANDS])
def test_every_group_help_runs(cli, entry):
    result = cli(entry.name, "--help")
    assert result.exit_code == 0
    assert "Usage: stm" in result.stdout


@pytest.mark.parametrize("args", [["--help"], ["actors", "--help"], ["actors", "list", "--help"]])
def test_help_does_not_import_heavy_libraries(args):
    code = (
        "import sys\n"
        f"sys.argv = ['stm', *{args!r}]\n"
        "from stm.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & "
        "{'sqlalchemy', 'sqlmodel', 'jinja2', 'weasyprint', 'icalendar', 'vobject', 'babel'})\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "HEAVY []" in result.stderr, result.stderr


def test_a_group_finds_commands_of_every_module_and_suggests_on_typos(cli):
    # A group is built with only the command that runs (see stm.cli.load_command).
    assert "Usage: stm actors export" in cli("actors", "export", "--help").stdout
    assert "Usage: stm actor list" in cli("actor", "list", "--help").stdout
    result = cli("actors", "lst")
    assert result.exit_code == 2
    assert "No such command 'lst'. Did you mean 'list'?" in result.stderr


def _modules_after(args):
    """The stm.cli modules a fresh `stm ARGS` imports, and the commands of actors' own app."""
    code = (
        "import sys\n"
        f"sys.argv = ['stm', *{args!r}]\n"
        "from stm.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "import stm.cli.actors as actors\n"
        "print(sorted(m for m in sys.modules if m.startswith('stm.cli.')), file=sys.stderr)\n"
        "print([c.name for c in actors.app.registered_commands], file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    modules, commands = result.stderr.strip().splitlines()[-2:]
    return modules, commands


def test_the_root_joins_a_groups_modules_without_side_effects():
    """`stm actors list` imports the actors module only; `stm actors export` the module
    that holds it; neither adds commands to another module's app."""
    own = "['add', 'list', 'show', 'edit', 'archive']"
    modules, commands = _modules_after(["actors", "list", "--help"])
    assert "'stm.cli.actors'" in modules and "stm.cli.actors_io" not in modules
    assert commands == own
    modules, commands = _modules_after(["actors", "export", "--help"])
    assert "'stm.cli.actors_io'" in modules
    assert commands == own
    modules, commands = _modules_after(["actors", "--help"])
    assert "'stm.cli.actors_io'" in modules and commands == own


def test_singular_and_plural_group_names(cli, register):
    cli("actors", "add", "Kita Sonnenschein", "--district", "schmarl")
    plural = cli("actors", "list", "--json").stdout
    singular = cli("actor", "list", "--json").stdout
    assert plural == singular and "Kita Sonnenschein" in plural


def test_version(cli):
    result = cli("--version")
    assert result.stdout.startswith("stm 0.")


def test_unknown_option_is_exit_2(cli, register):
    result = cli("actors", "list", "--colour", "red")
    assert result.exit_code == 2
    assert "No such option" in result.stderr


def test_unknown_command_is_exit_2(cli):
    result = cli("actres", "list")
    assert result.exit_code == 2
    assert "No such command" in result.stderr


def test_errors_are_one_line_without_traceback(cli, register):
    result = cli("actors", "show", "999")
    assert result.exit_code == 1
    assert result.stderr == "Error: no actor '999' (see 'stm actors list --search …')\n" or (
        result.stderr.startswith("Error: ") and len(result.stderr.splitlines()) == 1
    )
    assert "Traceback" not in result.output


# ------------------------------------------------------ repeated options, did you mean


def _commands():
    from stm.cli import COMMANDS, load_command

    def walk(command, path):
        if getattr(command, "commands", None):
            for name, sub in command.commands.items():
                yield from walk(sub, [*path, name])
        else:
            yield path, command

    for entry in COMMANDS:
        yield from walk(load_command(entry), [entry.name])


def test_an_option_taking_one_value_given_twice_is_refused_everywhere(cli, register):
    """No value is dropped silently: repeatable options keep all (they are lists), and an
    option that takes one value, given twice with different values, is exit 2."""
    checked = 0
    for path, command in _commands():
        for param in command.params:
            if param.param_type_name != "option" or getattr(param, "is_flag", False):
                continue
            if param.multiple or param.nargs != 1:
                continue
            option = param.opts[0]
            result = cli(*path, option, "1", option, "2")
            assert result.exit_code == 2, (path, option, result.output)
            assert result.stderr == (
                f"Error: {option}: given 2 times ('1', '2'); it takes one value\n"
            ), (path, option)
            checked += 1
    assert checked > 150


def test_options_for_many_things_are_repeatable():
    many = {"--district", "--sector", "--partner", "--goal", "--guest", "--organiser", "--alias"}
    for path, command in _commands():
        for param in command.params:
            if param.param_type_name == "option" and many & set(param.opts):
                if ("concerns" in path or "fund" in path) and path[-1] == "add":
                    continue  # a concern, a Verfügungsfonds has one district
                assert param.multiple, (path, param.opts)


def test_did_you_mean_for_top_level_groups(cli):
    result = cli("evnt", "list")
    assert result.exit_code == 2
    assert "Error: No such command 'evnt'. Did you mean 'event'?" in result.output
    assert "Did you mean 'minutes'?" in cli("minuts").output


def test_a_domain_field_is_shown_as_the_option_of_the_command_that_ran():
    import typer

    from stm.cli._common import option_for

    app = typer.Typer()

    @app.command()
    def add(
        reporter: str = typer.Option("", "--from", "-f"),
        district: str = typer.Option(""),
    ) -> None:
        """Example."""

    command = typer.main.get_command(app)
    assert option_for("reporter", command) == "--from"
    assert option_for("district", command) == "--district"
    assert option_for("number", command) == "number"
    assert option_for("--kind", command) == "--kind"
