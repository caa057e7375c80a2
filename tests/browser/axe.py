"""An accessibility audit of the page in the browser, by the vendored axe-core (vendor/README.md).

The rules run are axe's WCAG 2 level A and AA ones, plus ``heading-order`` (the house rule:
headings in order; axe files it under best practice).

The site's Content-Security-Policy allows scripts from its own origin only, so Playwright's
``add_script_tag`` (an inline script, even given a path) is refused. Instead the engine is
evaluated through Playwright's DevTools connection (``page.evaluate``), which the policy does
not govern: the policy stays as strict as the site serves it, and nothing is fetched at run
time.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa"]
EXTRA_RULES = ["heading-order"]

RUN = """
async (rules) => {
  const options = rules
    ? {runOnly: {type: "rule", values: rules}}
    : {runOnly: {type: "tag", values: %s}, rules: %s};
  const results = await axe.run(document, options);
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary})),
  }));
}
"""


@cache
def _source() -> str:
    return AXE.read_text(encoding="utf-8")


def axe_violations(page, *, rules: list[str] | None = None) -> list[dict]:
    """The violations axe finds on the page as it is now, of the WCAG 2 A and AA rules and
    heading-order (or of the given ``rules`` only), each with its rule id, impact, help text
    and the nodes that break it (their CSS selector and what fails)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Run as a script through the DevTools protocol, outside the page's CSP; the engine
        # defines window.axe.
        page.evaluate(f"() => {{ {_source()}\n}}")
    extra = {rule: {"enabled": True} for rule in EXTRA_RULES}
    return page.evaluate(RUN % (json.dumps(WCAG), json.dumps(extra)), rules)


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            summary = " ".join((node.get("summary") or "").split())
            lines.append(f"    {node['target']}: {summary}")
    return "\n".join(lines)


def assert_accessible(page, *, rules: list[str] | None = None) -> None:
    """Fails with one line per violation and one per node breaking it."""
    violations = axe_violations(page, rules=rules)
    assert not violations, f"axe found on {page.url}:\n{describe(violations)}"
