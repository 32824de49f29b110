"""The JSON records of the newspaper (SPEC §7): publications, issues, articles."""

from __future__ import annotations

from typing import TypedDict


class PublicationRecord(TypedDict):
    id: int
    slug: str
    name: str
    publisher: str | None
    issues: int


class IssueRecord(TypedDict):
    id: int
    publication: str | None
    label: str
    deadline: str
    publish_on: str
    print_run: int | None
    pages: int | None
    articles: int
    pages_planned: float | int | None
    pages_accepted: float | int | None


class ArticleRecord(TypedDict):
    id: int
    publication: str
    issue: str
    title: str
    author: str | None
    status: str
    pages: float | int | None


class IssueDetail(IssueRecord):
    """`stm paper issue show --json`: the issue and its articles."""

    article_list: list[ArticleRecord]
