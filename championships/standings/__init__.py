"""Championship standings: a pure module computing every table of STANDINGS_RULES.md.

``loader`` is the only part that touches the ORM; ``rules`` holds one small function per
rule; ``tables`` composes them into explained rows; ``payload`` shapes rows for JSON and
``cache`` keeps computed tables until the championship's data changes.
"""
