"""Shared fixtures: every test runs against a real register in a temporary folder.

`register` runs on SQLite, and also on PostgreSQL when `STM_TEST_DATABASE_URL` is set
(each test in a schema of its own, dropped afterwards). `STM_NOW` pins the clock to
Friday, 20 November 2026, 10:00, so that "today" and "next" are reproducible.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from stm.cli import app
from stm.services.search import index_after_flush
from stm.store import add_flush_listener

# Every register the tests open keeps the search index in step, as the CLI's registers do.
add_flush_listener(index_after_flush)

PINNED_NOW = "2026-11-20T10:00"
PG_URL = os.environ.get("STM_TEST_DATABASE_URL")
BACKENDS = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]


def pytest_report_header(config: Any) -> str:
    if PG_URL:
        return "stm: register tests run on SQLite and PostgreSQL"
    return "stm: register tests run on SQLite only (set STM_TEST_DATABASE_URL for PostgreSQL)"


REPOSITORY = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def _nothing_written_into_the_repository() -> Iterator[None]:
    """A test writes into its tmp_path, never into the checkout (a safety copy written to
    the current folder once went into a commit)."""
    before = {p.name for p in REPOSITORY.iterdir()}
    yield
    new = sorted({p.name for p in REPOSITORY.iterdir()} - before - {".hypothesis", ".pytest_cache"})
    assert not new, f"tests wrote into {REPOSITORY}: {new}"


@pytest.fixture(autouse=True)
def env_setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test away from the user's own register, config and clock."""
    monkeypatch.setenv("STM_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("STM_NOW", PINNED_NOW)
    for name in ("STM_DB", "STM_DATABASE_URL", "STM_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    from stm import clock

    clock.configure(clock.DEFAULT_TIMEZONE)


def run(*args: str, input: str | None = None) -> Result:
    """Invoke stm in-process, as a script would (no terminal)."""
    return CliRunner().invoke(app, list(args), input=input)


@pytest.fixture
def cli() -> Any:
    return run


@dataclass
class RegisterHandle:
    """The test's register: where it is, and a session to check what it holds."""

    backend: str
    location: Any

    @contextmanager
    def session(self) -> Iterator[Any]:
        from stm.store import open_register

        register = open_register(self.location)
        try:
            with register.session() as session:
                yield session
        finally:
            register.close()

    def count(self, model: Any, *where: Any) -> int:
        from sqlalchemy import func
        from sqlmodel import select

        with self.session() as session:
            statement = select(func.count()).select_from(model)
            for clause in where:
                statement = statement.where(clause)
            return int(session.exec(statement).one())


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An initialised register with the seed districts, copied for each test."""
    from stm.services.districts import seed_districts
    from stm.store import Location, open_register

    path = tmp_path_factory.mktemp("template") / "register.sqlite"
    register = open_register(Location(path=path, source="test"), create=True)
    with register.session() as session:
        seed_districts(session)
    register.close()
    return path


@pytest.fixture(scope="session")
def _pg_templates() -> Iterator[Any]:
    """The template schemas PostgreSQL tests' schemas are cloned from (tests/pg_templates)."""
    from pg_templates import Templates

    templates = Templates(PG_URL) if PG_URL else None
    yield templates
    if templates is not None:
        templates.close()


@contextmanager
def _pinned_clock() -> Iterator[None]:
    """A template is built on the pinned day, whichever test asks for it first."""
    from stm import clock

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("STM_NOW", PINNED_NOW)
        clock.configure(clock.DEFAULT_TIMEZONE)
        yield


def _build_seeded(location: Any) -> None:
    from stm.services.districts import seed_districts
    from stm.store import open_register

    with _pinned_clock():
        created = open_register(location, create=True)
        with created.session() as session:
            seed_districts(session)
        created.close()


def _build_demo(location: Any, folder: Path, config: Path) -> None:
    from stm.config import load_config
    from stm.demo import DEMO_LETTERHEAD, DemoContext, build_demo
    from stm.store import open_register

    with _pinned_clock():
        created = open_register(location, create=True)
        # Without its sample files: a PostgreSQL test reads the register, and the
        # documents (rendered once for the SQLite template, tested there) cost seconds.
        context = DemoContext(folder=folder, letterhead=DEMO_LETTERHEAD)
        context.write_documents = lambda *args, **kwargs: None  # type: ignore[method-assign]
        context.folder.mkdir(parents=True, exist_ok=True)
        context.config = load_config(config)
        with created.session() as session:
            build_demo(session, context)
        created.close()


@contextmanager
def _postgres_schema(
    monkeypatch: pytest.MonkeyPatch, clone: tuple[Any, Any] | None = None
) -> Iterator[Any]:
    """A schema of the test's own, empty or (`clone`: templates and one template's SQL)
    a copy of a template; STM_DATABASE_URL names it; dropped afterwards."""
    from sqlalchemy import create_engine, text

    from pg_templates import search_path_url
    from stm.store import Location, engine_url

    assert PG_URL
    schema = f"stm_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(engine_url(Location(url=PG_URL)))
    if clone is None:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    else:
        templates, template = clone
        templates.create(schema, template)
    url = search_path_url(PG_URL, schema)
    monkeypatch.setenv("STM_DATABASE_URL", url)
    try:
        yield Location(url=url, source="STM_DATABASE_URL")
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def register(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    _sqlite_template: Path,
    _pg_templates: Any,
) -> Iterator[RegisterHandle]:
    """A fresh register with the four seed districts, on each backend under test."""
    from stm.store import Location

    if request.param == "sqlite":
        path = tmp_path / "register.sqlite"
        shutil.copyfile(_sqlite_template, path)
        os.chmod(path, 0o600)
        monkeypatch.setenv("STM_DB", str(path))
        yield RegisterHandle("sqlite", Location(path=path, source="STM_DB"))
        return
    template = _pg_templates.clone_sql("seeded", _build_seeded)
    clone = (_pg_templates, template) if template else None
    with _postgres_schema(monkeypatch, clone) as location:
        if template is None:  # no pg_dump here: the migrations run for each test
            _build_seeded(location)
        yield RegisterHandle("postgresql", location)


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    env = {"STM_NOW": PINNED_NOW, "STM_CONFIG": str(folder / "unused.toml")}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        result = run("demo", "--dir", str(folder))
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture(params=BACKENDS)
def demo(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    _demo_template: Path,
    _pg_templates: Any,
) -> Iterator[RegisterHandle]:
    """A register holding the demo data (SPEC §10), on each backend under test."""
    from stm.store import Location

    shutil.copyfile(_demo_template / "config.toml", tmp_path / "config.toml")
    if request.param == "sqlite":
        path = tmp_path / "register.sqlite"
        shutil.copyfile(_demo_template / "register.sqlite", path)
        monkeypatch.setenv("STM_DB", str(path))
        yield RegisterHandle("sqlite", Location(path=path, source="STM_DB"))
        return
    config = _demo_template / "config.toml"

    def build(location: Any) -> None:
        _build_demo(location, _demo_template / "pg-demo-docs", config)

    template = _pg_templates.clone_sql("demo", build)
    clone = (_pg_templates, template) if template else None
    with _postgres_schema(monkeypatch, clone) as location:
        if template is None:  # no pg_dump here: the demo is built for each test
            _build_demo(location, tmp_path / "demo-docs", tmp_path / "config.toml")
        yield RegisterHandle("postgresql", location)


@pytest.fixture(params=["checked-here", "checked-in-second-process"])
def checking(request, monkeypatch):
    """An import test runs both ways: records checked in this process, and (as for a
    large file) in a second one. Both must give the same register, messages and files."""
    if request.param == "checked-in-second-process":
        from stm.services.imports import importer

        monkeypatch.setattr(importer, "PARALLEL_BYTES", 0)
        monkeypatch.setattr(importer, "cores", lambda: 2)
    return request.param
