"""miner's pages share one base template (miner/data/assets/page.html): its Content-Security-Policy
is required, so a page cannot ship without a policy by forgetting to pass one."""

from __future__ import annotations

from html.parser import HTMLParser

import jinja2
import pytest

from miner.data.render import render_string


class Metas(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.policies: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "content-security-policy":
            self.policies.append(values.get("content") or "")


def policies(page: str) -> list[str]:
    parser = Metas()
    parser.feed(page)
    return parser.policies


CHILD = '{% extends "page.html" %}{% block title %}t{% endblock %}'


def test_a_page_without_a_policy_is_an_error_not_a_page_without_one():
    with pytest.raises(jinja2.UndefinedError, match="csp"):
        render_string(CHILD)


def test_the_policy_is_a_meta_element_and_none_means_the_header_carries_it():
    assert policies(render_string(CHILD, csp="default-src 'none'")) == ["default-src 'none'"]
    assert policies(render_string(CHILD, csp=None)) == []


def test_every_page_miner_writes_or_serves_carries_a_policy():
    from miner.compare.report import CSP as COMPARE_CSP
    from miner.serve.endpoint import PAGE_CSP, query_page

    assert policies(query_page().decode("utf-8")) == [PAGE_CSP]
    assert "default-src 'none'" in COMPARE_CSP
