"""The district newspaper (SternDrewitz, WIR2): publications, issues and their articles.

An issue has a submission deadline (Redaktionsschluss), a publication date, a print run
and a page count; articles come from many actors and move submitted → edited →
accepted or rejected. The issue plan sets their pages against the page count.

Behind this face: `publications`, `issues`, `articles`, `plan` (the issue plan's data),
and `shared` (page counts, the plan's order, actors' names).
"""

from __future__ import annotations

from stm.services.paper.articles import (
    ArticleFields,
    add_article,
    article,
    article_records,
    list_articles,
    set_article_status,
)
from stm.services.paper.issues import (
    IssueFields,
    NewIssue,
    add_issue,
    issue,
    issue_records,
    list_issues,
)
from stm.services.paper.plan import issue_detail, plan_data
from stm.services.paper.publications import (
    add_publication,
    list_publications,
    publication,
    publication_records,
)
from stm.services.paper.records import (
    ArticleRecord,
    IssueDetail,
    IssueRecord,
    PublicationRecord,
)
from stm.services.paper.shared import MAX_PAGES, STATUS_ORDER

__all__ = [
    "MAX_PAGES",
    "STATUS_ORDER",
    "ArticleFields",
    "ArticleRecord",
    "IssueDetail",
    "IssueFields",
    "IssueRecord",
    "NewIssue",
    "PublicationRecord",
    "add_article",
    "add_issue",
    "add_publication",
    "article",
    "article_records",
    "issue",
    "issue_detail",
    "issue_records",
    "list_articles",
    "list_issues",
    "list_publications",
    "plan_data",
    "publication",
    "publication_records",
    "set_article_status",
]
