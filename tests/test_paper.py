"""The district newspaper: publications, issues, articles and the issue plan."""

from __future__ import annotations

import io
import json

import pypdf
from sqlmodel import select

from stm.models import Article, PaperIssue, Publication


def _issue(cli, label: str = "4/2026", publication: str = "WIR2", *extra: str):
    return cli(
        "paper",
        "issue",
        "add",
        label,
        "--publication",
        publication,
        "--deadline",
        "2026-12-04",
        "--publish",
        "18.12.2026",
        *extra,
    )


def _wir2_with_articles(cli) -> None:
    cli("actors", "add", "Heimatverein Dorf Schmarl e.V.", "--kind", "association")
    cli("actors", "add", "Begegnungszentrum Haus 12", "--kind", "social")
    _issue(cli, "4/2026", "WIR2", "--print-run", "9000", "--pages", "4")
    for title, author, pages in (
        ("Chronik des Dorfes Schmarl", "Heimatverein Dorf Schmarl e.V.", "2"),
        ("Adventsmarkt im Haus 12", "Begegnungszentrum Haus 12", "1.5"),
        ("Werbeanzeige", "Begegnungszentrum Haus 12", "1"),
    ):
        result = cli(
            "paper",
            "article",
            "add",
            "--issue",
            "WIR2 4/2026",
            "--title",
            title,
            "--author",
            author,
            "--pages",
            pages,
        )
        assert result.exit_code == 0, result.output
    cli("paper", "article", "status", "1", "accepted")
    cli("paper", "article", "status", "3", "rejected")


def test_issue_add_creates_the_publication_on_first_use(cli, register):
    result = _issue(cli, "4/2026", "WIR2", "--print-run", "9000", "--pages", "16")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "Added issue #1 WIR2 4/2026"
    assert result.stderr.strip() == "Created publication 'WIR2'"
    second = _issue(cli, "1/2027", "wir2", "--json")
    record = json.loads(second.stdout)
    assert second.stderr == ""
    assert record == {
        "id": 2,
        "publication": "WIR2",
        "label": "1/2027",
        "deadline": "2026-12-04",
        "publish_on": "2026-12-18",
        "print_run": None,
        "pages": None,
        "articles": 0,
        "pages_planned": 0,
        "pages_accepted": 0,
    }
    assert register.count(Publication) == 1


def test_publication_add_and_list(cli, register):
    cli("actors", "add", "Stadtteilmanagement Am Stern und Drewitz")
    result = cli(
        "paper",
        "publication",
        "add",
        "SternDrewitz",
        "--publisher",
        "Stadtteilmanagement Am Stern und Drewitz",
    )
    assert result.exit_code == 0, result.output
    records = json.loads(cli("paper", "publication", "list", "--json").stdout)
    assert records == [
        {
            "id": 1,
            "slug": "sterndrewitz",
            "name": "SternDrewitz",
            "publisher": "Stadtteilmanagement Am Stern und Drewitz",
            "issues": 0,
        }
    ]
    again = cli("paper", "publication", "add", "Stern Drewitz")
    assert again.exit_code == 1 and "exists already" in again.stderr


def test_articles_move_through_their_statuses(cli, register):
    _wir2_with_articles(cli)
    result = cli("paper", "article", "status", "2", "edited", "--json")
    assert json.loads(result.stdout)["status"] == "edited"
    records = json.loads(cli("paper", "article", "list", "--issue", "4/2026", "--json").stdout)
    assert [(a["title"], a["status"], a["pages"]) for a in records] == [
        ("Chronik des Dorfes Schmarl", "accepted", 2),
        ("Adventsmarkt im Haus 12", "edited", 1.5),
        ("Werbeanzeige", "rejected", 1),
    ]
    assert records[0]["author"] == "Heimatverein Dorf Schmarl e.V."
    assert records[0]["publication"] == "WIR2" and records[0]["issue"] == "4/2026"
    accepted = json.loads(cli("paper", "article", "list", "-s", "accepted", "--json").stdout)
    assert [a["id"] for a in accepted] == [1]


def test_issue_list_and_show(cli, register):
    _wir2_with_articles(cli)
    records = json.loads(cli("paper", "issue", "list", "--json").stdout)
    assert records[0]["articles"] == 3
    assert (records[0]["pages_planned"], records[0]["pages_accepted"]) == (3.5, 2)
    assert json.loads(cli("paper", "issue", "list", "--upcoming", "--json").stdout) == records
    shown = cli("paper", "issue", "show", "WIR2 4/2026").stdout
    assert "Chronik des Dorfes Schmarl" in shown and "Pages accepted" in shown


def test_plan_shows_articles_pages_and_the_call(cli, register):
    _wir2_with_articles(cli)
    result = cli("paper", "plan", "render", "WIR2 4/2026")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "# Heftplanung: WIR2 4/2026" in text
    assert "**Redaktionsschluss:** Freitag, 4. Dezember 2026" in text
    assert "**Auflage:** 9000 Exemplare" in text
    rows = [line for line in text.splitlines() if line.startswith("| ") and "Titel" not in line]
    assert rows == [
        "| 1 | Chronik des Dorfes Schmarl | Heimatverein Dorf Schmarl e.V. | 2 | angenommen |",
        "| 2 | Adventsmarkt im Haus 12 | Begegnungszentrum Haus 12 | 1,5 | eingereicht |",
        "| 3 | Werbeanzeige | Begegnungszentrum Haus 12 | 1 | abgelehnt |",
    ]
    assert "- Geplante Seiten: 3,5 von 4, davon angenommen: 2" in text
    assert "- Noch frei: 0,5 Seiten" in text
    assert "## Aufruf: Beiträge gesucht" in text
    assert "Redaktionsschluss ist **Freitag, 4. Dezember 2026**" in text


def test_plan_warns_when_overbooked_and_speaks_english(cli, register):
    _wir2_with_articles(cli)
    cli("paper", "article", "add", "-i", "4/2026", "-t", "Jugendclub", "--pages", "1")
    text = cli("paper", "plan", "render", "4/2026", "--lang", "en").stdout
    assert "# Issue plan: WIR2 4/2026" in text
    assert "**Overbooked by 0.5 pages**" in text
    assert "The deadline is **Friday, 4 December 2026**." in text


def test_plan_html_and_pdf(cli, register, tmp_path):
    _wir2_with_articles(cli)
    html = cli("paper", "plan", "render", "4/2026", "--format", "html").stdout
    assert "<h1>WIR2 4/2026</h1>" in html and "Aufruf: Beiträge gesucht" in html
    target = tmp_path / "plan.pdf"
    result = cli("paper", "plan", "render", "4/2026", "--format", "pdf", "-o", str(target))
    assert result.exit_code == 0, result.output
    data = target.read_bytes()
    assert data.startswith(b"%PDF")
    page = " ".join(pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text().split())
    assert "Chronik des Dorfes Schmarl" in page and "Redaktionsschluss" in page


def test_markdown_escapes_user_text(cli, register):
    _issue(cli)
    cli("paper", "article", "add", "-i", "4/2026", "-t", "Sterne | *Kinder* #1")
    text = cli("paper", "plan", "render", "4/2026").stdout
    assert r"Sterne \| \*Kinder\* #1" in text


# --------------------------------------------------------------------------- bad input


def test_an_article_for_a_missing_issue_is_exit_1(cli, register):
    _issue(cli)
    result = cli("paper", "article", "add", "--issue", "5/2026", "--title", "Neues")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: no newspaper issue '5/2026'; did you mean '4/2026'? (see 'stm paper issue list')"
    )
    assert register.count(Article) == 0


def test_an_article_without_any_issue_is_exit_1(cli, register):
    result = cli("paper", "article", "add", "--issue", "1/2027", "--title", "Neues")
    assert result.exit_code == 1 and "no newspaper issue '1/2027'" in result.stderr
    assert register.count(Article) == 0


def test_a_label_of_two_newspapers_is_ambiguous(cli, register):
    _issue(cli, "1/2027", "WIR2")
    _issue(cli, "1/2027", "SternDrewitz")
    result = cli("paper", "article", "add", "--issue", "1/2027", "--title", "Neues")
    assert result.exit_code == 1
    assert "#1 WIR2 1/2027; #2 SternDrewitz 1/2027" in result.stderr
    ok = cli("paper", "article", "add", "--issue", "1/2027", "-p", "sterndrewitz", "-t", "Neues")
    assert ok.exit_code == 0
    with register.session() as session:
        assert session.exec(select(Article)).one().issue_id == 2


def test_deadline_after_publication_is_exit_2(cli, register):
    result = cli(
        "paper",
        "issue",
        "add",
        "4/2026",
        "-p",
        "WIR2",
        "--deadline",
        "2026-12-20",
        "--publish",
        "2026-12-18",
    )
    assert result.exit_code == 2
    assert "Error: --deadline: 2026-12-20 is after the publication date 2026-12-18" in result.stderr
    assert register.count(PaperIssue) == 0
    assert register.count(Publication) == 0


def test_bad_dates_pages_and_print_run_are_exit_2(cli, register):
    bad = cli(
        "paper",
        "issue",
        "add",
        "4/2026",
        "-p",
        "WIR2",
        "--deadline",
        "4.13.2026",
        "--publish",
        "2026-12-18",
    )
    assert bad.exit_code == 2 and "--deadline" in bad.stderr
    assert _issue(cli, "4/2026", "WIR2", "--print-run", "-5").exit_code == 2
    assert _issue(cli, "4/2026", "WIR2", "--pages", "0").exit_code == 2
    assert register.count(PaperIssue) == 0
    _issue(cli)
    result = cli("paper", "article", "add", "-i", "4/2026", "-t", "X", "--pages", "-1")
    assert result.exit_code == 2 and "--pages" in result.stderr
    assert register.count(Article) == 0


def test_the_same_label_twice_is_exit_1(cli, register):
    _issue(cli)
    result = _issue(cli)
    assert result.exit_code == 1 and "WIR2 has an issue '4/2026' already" in result.stderr
    assert register.count(PaperIssue) == 1


def test_unknown_article_status_suggests(cli, register):
    _wir2_with_articles(cli)
    result = cli("paper", "article", "status", "2", "acepted")
    assert result.exit_code == 2
    assert "did you mean 'accepted'?" in result.stderr
    with register.session() as session:
        assert session.get(Article, 2).status == "submitted"


def test_demo_has_a_wir2_issue_with_articles(cli, demo):
    records = json.loads(cli("paper", "issue", "list", "--publication", "WIR2", "--json").stdout)
    assert len(records) == 2
    assert records[-1]["articles"] >= 5
    statuses = {
        a["status"]
        for a in json.loads(
            cli("paper", "article", "list", "--publication", "WIR2", "--json").stdout
        )
    }
    assert statuses == {"submitted", "edited", "accepted", "rejected"}
    assert json.loads(cli("paper", "issue", "list", "-p", "SternDrewitz", "--json").stdout)


# ------------------------------------------------------------------ authors as text, halves


def test_an_author_is_linked_when_an_actor_matches_and_kept_as_text_otherwise(cli, register):
    cli("actors", "add", "Begegnungszentrum Haus 12", "--kind", "social")
    _issue(cli, "4/2026", "WIR2", "--pages", "8")
    linked = cli("paper", "article", "add", "-i", "4/2026", "-t", "Adventsmarkt", "-a",
                 "Haus 12", "--pages", "1,5", "--json")  # fmt: skip
    assert linked.exit_code == 0, linked.output
    assert (json.loads(linked.stdout)["author"], json.loads(linked.stdout)["pages"]) == (
        "Begegnungszentrum Haus 12",
        1.5,
    )
    letter = cli("paper", "article", "add", "-i", "4/2026", "-t", "Leserbrief: Die Bank fehlt",
                 "-a", "Gerda B., Anwohnerin", "--pages", "0.5", "--json")  # fmt: skip
    assert letter.exit_code == 0, letter.output
    assert json.loads(letter.stdout)["author"] == "Gerda B., Anwohnerin"
    with register.session() as session:
        rows = session.exec(select(Article).order_by(Article.id)).all()
    assert [(a.author_id, a.author_name, a.pages) for a in rows] == [
        (1, None, 1.5),
        (None, "Gerda B., Anwohnerin", 0.5),
    ]
    plan = cli("paper", "plan", "render", "WIR2 4/2026").stdout
    assert "Gerda B., Anwohnerin" in plan and "Begegnungszentrum Haus 12" in plan


def test_pages_take_halves_and_quarters(cli, register):
    _issue(cli)
    for typed, stored in (("1,5", 1.5), ("0.5", 0.5), ("1/2", 0.5), ("¼", 0.25), ("2", 2)):
        result = cli("paper", "article", "add", "-i", "4/2026", "-t", typed, "--pages", typed,
                     "--json")  # fmt: skip
        assert json.loads(result.stdout)["pages"] == stored, typed
    bad = cli("paper", "article", "add", "-i", "4/2026", "-t", "X", "--pages", "1/3")
    assert bad.stderr == ("Error: --pages: '1/3' is not a number of pages; e.g. 2, 1,5 or 0.5\n")
    assert register.count(Article) == 5
