"""Accessibility check with axe-core (npm, installed by `make peers` into .cache/peers/axe).

    from tests.browser.axe import assert_accessible
    assert_accessible(page)                      # the whole page, every rule axe runs by default

axe is evaluated in the page through the DevTools protocol, which the page's
Content-Security-Policy does not apply to: the page under test stays as served.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import pytest

from tests.browser.live import ROOT

AXE = Path(os.environ.get("PEOPLE_PEERS_CACHE", ROOT / ".cache" / "peers")) / "axe" / "node_modules" / "axe-core" / "axe.min.js"


@cache
def axe_source() -> str:
    if not AXE.is_file():
        pytest.skip(f"axe-core is not installed ({AXE} missing: run `make peers`)")
    return AXE.read_text()


def axe_violations(page, *, exclude: tuple[str, ...] = ()) -> list[dict]:
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    return page.evaluate(
        """async (exclude) => {
            const context = exclude.length ? {include: [document], exclude: exclude.map((s) => [s])} : document;
            const results = await window.axe.run(context, {resultTypes: ["violations"]});
            return results.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary, html: n.html})),
            }));
        }""",
        list(exclude),
    )


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            lines.append(f"    at {node['target']}: {node['html'][:200]}")
            lines.extend(f"      {line}" for line in (node["summary"] or "").splitlines())
    return "\n".join(lines)


def assert_accessible(page, *, exclude: tuple[str, ...] = ()) -> None:
    """No axe violation on the page as it is now (open dialogs, errors shown... included);
    `exclude`: CSS selectors of parts left out (say why where you use it)."""
    violations = axe_violations(page, exclude=exclude)
    assert not violations, f"axe found {len(violations)} violation(s) on {page.url}:\n{format_violations(violations)}"
