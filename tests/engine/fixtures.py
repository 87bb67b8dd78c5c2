"""Small hand-checked models and a registry to load them against."""

from __future__ import annotations

from diag.articles import articles_from_dict
from diag.knowledge import Model, load

ARTICLES = articles_from_dict(
    {
        "article": [
            {"id": "status", "kind": "status", "path": "status.md", "title": "Status", "anchors": ["green"]},
            {"id": "fix-a", "kind": "fix", "path": "fixes/a.md", "title": "Fix A"},
            {"id": "fix-b", "kind": "fix", "path": "fixes/b.md", "title": "Fix B"},
            {"id": "fix-c", "kind": "fix", "path": "fixes/c.md", "title": "Fix C"},
            {"id": "support", "kind": "fix", "path": "fixes/support.md", "title": "Call support"},
            {"id": "sym-x", "kind": "symptom", "path": "symptoms/x.md", "title": "Symptom X"},
        ]
    },
    source_name="tiny-articles",
)
"""A registry with three fix pages, a support page, a status page and a symptom page."""

TINY = """
[model]
version = "tiny"
answer_noise = 0.0
answer_noise_reason = "exact answers for hand-checked numbers"
question_burden = 0
question_burden_reason = "hand-checked numbers"
step_check = 0
step_check_reason = "hand-checked numbers"

[[cause]]
id = "x"
title = "Cause X"
prior = 0.5
reason = "half"
who = "you"

[[cause]]
id = "y"
title = "Cause Y"
prior = 0.3
reason = "less"
who = "carrier"

[[cause]]
id = "z"
title = "Cause Z"
prior = 0.2
reason = "least"
who = "other-person"

[[question]]
id = "which"
text = "X or not?"
cost = 0.5
cost_reason = "a glance"
first = false
answers = [ { id = "is-x", text = "X", article = "sym-x" }, { id = "not-x", text = "Not X" } ]

[question.likelihood]
x = { is-x = 1.0, reason = "always" }
default = { not-x = 1.0, reason = "never" }

[[fix]]
id = "fix-a"
kind = "fix"
article = "fix-a"
minutes = 2
minutes_reason = "two"
surcharge = 0
surcharge_reason = "none"
risk = "none"
risk_note = "No risk"

[fix.solves]
x = { p = 0.99, reason = "fixes X" }

[[fix]]
id = "fix-b"
kind = "fix"
article = "fix-b"
minutes = 1
minutes_reason = "one"
surcharge = 0
surcharge_reason = "none"
risk = "low"
risk_note = "Low"

[fix.solves]
y = { p = 0.99, reason = "fixes Y" }

[[fix]]
id = "fix-c"
kind = "fix"
article = "fix-c"
minutes = 4
minutes_reason = "four"
surcharge = 0
surcharge_reason = "none"
risk = "none"
risk_note = "No risk"
last_resort = true

[fix.solves]
z = { p = 0.99, reason = "fixes Z" }

[[fix]]
id = "green-ok"
kind = "advice"
title = "Green is fine"
article = "status"
anchor = "green"
minutes = 1
minutes_reason = "read"
surcharge = 9
surcharge_reason = "unwelcome"
risk = "none"
risk_note = "Nothing to do"

[fix.solves]
z = { p = 0.5, reason = "half the time" }

[[fix]]
id = "support"
kind = "escalation"
article = "support"
minutes = 30
minutes_reason = "a call"
surcharge = 0
surcharge_reason = "none"
risk = "none"
risk_note = "No risk"
"""
"""Three perfect-ish fixes (priors .5/.3/.2, costs 2/1/4), a question that splits X off, support at 30."""


def tiny_model(text: str = TINY) -> Model:
    """Load the tiny model (or a variant of its text)."""
    return load(text, articles=ARTICLES, source_name="tiny.toml")
