"""The knowledge model: frozen dataclasses built by an explicit load, validated once.

`load(text, articles=...)` parses diag/knowledge.toml-shaped text, checks
everything (ids, ranges, likelihood rows summing to 1, article links, orphans)
and raises one `ModelError` listing every offender. `default_model()` reads
the packaged files: from an installed wheel, the copy of both TOML files that
the wheel build parsed into diag/parsed.json (see setup.py), which skips
compiling and running `tomllib` in the browser; from a source tree, the TOML.
Either way the same validation runs.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field, replace
from typing import Any

from diag import package_files
from diag.articles import Article, articles_from_dict, load_articles
from diag.belief import Contact, Tables, neighbours
from diag.errors import ModelError
from diag.settings_paths import unknown_references

DONT_KNOW = "dont-know"
"""The answer id every question accepts; it never changes the belief."""

DONT_KNOW_TEXT = "I don't know"
"""How the "don't know" answer reads."""

KINDS = ("fix", "advice", "escalation")
"""Kinds of step: a fix page, a non-fix outcome (advice), or the escalation that ends the session."""

RISKS = ("none", "low", "medium", "high")
"""Risk levels a step can carry."""

WHO = ("you", "other-person", "carrier", "apple")
"""Who can fix a cause or do a step: the person, the person they write to, their carrier, or Apple."""

CONTACT_WHO = ("carrier", "apple")
"""A step done by one of these is a contact that ends the plan (see `Fix.contact`)."""

IOS_VERSION = "ios-version"
"""The question the widget answers at session start when it knows the iPhone's iOS version."""

_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Cause:
    """One possible reason for the problem (single-fault: exactly one is present).

    Attributes:
        who: Who can fix it when the person's own steps don't ("you" means Apple Support helps next).
        admin: For a limit someone else set on the device (an organisation's device management, a
            parent's Screen Time), who can lift it, in words for a sentence; Apple Support can't.
    """

    id: str
    code: str
    title: str
    prior: float
    reason: str
    who: str = "you"
    admin: str = ""


@dataclass(frozen=True)
class Answer:
    """One answer to a question; `article` links a symptom page when there is one.

    Attributes:
        implies: (question id, answer id) pairs this answer settles too: recorded as implied
            answers, never asked, and adding no evidence of their own (the answer already counted).
        fact: The answer as a clause after "You said" (falls back to the quoted text).
        only_steps: When set, the only steps that can apply after this answer (the escalation
            always can): a symptom that is not a failure of this device, such as a security alert,
            or a person who no longer has an iPhone. Every other step gets this answer in its
            `not_when` when the model is built.
    """

    id: str
    text: str
    hint: str = ""
    article: str = ""
    implies: tuple[tuple[str, str], ...] = ()
    fact: str = ""
    only_steps: tuple[str, ...] = ()


@dataclass(frozen=True)
class Question:
    """Something a person can check or knows, with P(answer | cause) per cause.

    Attributes:
        likelihood: cause id -> answer id -> probability (rows sum to 1).
        first: Asked before anything else whenever it is unanswered.
        rules_out: An answer that a cause (almost) never gives rules that cause out in explanations;
            false for questions whose answers are not exclusive (what changed lately: one change
            named doesn't mean no other happened).
    """

    id: str
    text: str
    hint: str
    article: str
    cost: float
    first: bool
    answers: tuple[Answer, ...]
    likelihood: dict[str, dict[str, float]] = field(compare=False)
    rules_out: bool = True

    def answer(self, answer_id: str) -> Answer | None:
        """The answer with this id (None if the question has no such answer)."""
        for answer in self.answers:
            if answer.id == answer_id:
                return answer
        return None


@dataclass(frozen=True)
class Fix:
    """A step to try: a fix page, an advice outcome, or the escalation.

    Attributes:
        title: From the article registry for fixes; the step's own title for advice.
        solves: cause id -> P(this step gets the message through | cause).
        question: Set when the step is done by answering that question (never planned).
        who: Who does the step: "you", or a contact ("other-person", "carrier", "apple").
        not_when: (question id, answer ids) pairs under which the step makes no sense: never ranked then.
        only_when: (question id, answer ids) pairs: once that question is answered with another
            answer (not "I don't know"), the step is never ranked.
        message: For a step with the other person, the words to send them.
    """

    id: str
    kind: str
    title: str
    article: str
    anchor: str
    minutes: float
    surcharge: float
    risk: str
    risk_note: str
    last_resort: bool
    solves: dict[str, float] = field(compare=False)
    question: str = ""
    who: str = "you"
    not_when: tuple[tuple[str, tuple[str, ...]], ...] = ()
    only_when: tuple[tuple[str, tuple[str, ...]], ...] = ()
    message: str = ""

    @property
    def cost(self) -> float:
        """Planning cost: minutes plus the risk and annoyance surcharge."""
        return self.minutes + self.surcharge

    @property
    def escalation(self) -> bool:
        """True for the step that always ends the session."""
        return self.kind == "escalation"

    @property
    def contact(self) -> bool:
        """True for a contact that can end the plan before the escalation (a step done by the carrier or Apple).

        A contact is never planned mid-plan: it is offered when what is left is theirs to fix.
        """
        return not self.escalation and self.who in CONTACT_WHO

    def applies(self, answers: dict[str, str]) -> bool:
        """False when the answers in force say this step makes no sense (`not_when` / `only_when`)."""
        for question, excluded in self.not_when:
            if answers.get(question) in excluded:
                return False
        for question, allowed in self.only_when:
            answer = answers.get(question)
            if answer is not None and answer != DONT_KNOW and answer not in allowed:
                return False
        return True


@dataclass(frozen=True)
class Model:
    """A validated knowledge model and the article registry it links to."""

    version: str
    answer_noise: float
    question_burden: float
    step_check: float
    causes: tuple[Cause, ...]
    questions: tuple[Question, ...]
    fixes: tuple[Fix, ...]
    articles: dict[str, Article] = field(compare=False)
    tables: Tables = field(compare=False, repr=False)

    @functools.cached_property
    def cause_index(self) -> dict[str, int]:
        """Cause id -> position."""
        return {c.id: i for i, c in enumerate(self.causes)}

    @functools.cached_property
    def question_index(self) -> dict[str, int]:
        """Question id -> position."""
        return {q.id: i for i, q in enumerate(self.questions)}

    @functools.cached_property
    def fix_index(self) -> dict[str, int]:
        """Fix id -> position."""
        return {f.id: i for i, f in enumerate(self.fixes)}

    @functools.cached_property
    def conditioned(self) -> dict[str, frozenset[int]]:
        """Question id -> positions of the steps whose `not_when` / `only_when` name that question."""
        result: dict[str, set[int]] = {}
        for i, fix in enumerate(self.fixes):
            for question, _ in (*fix.not_when, *fix.only_when):
                result.setdefault(question, set()).add(i)
        return {question: frozenset(indexes) for question, indexes in result.items()}

    @property
    def escalation(self) -> Fix:
        """The escalation step."""
        return next(f for f in self.fixes if f.escalation)

    def cause(self, cause_id: str) -> Cause:
        """The cause with this id."""
        return self.causes[self.cause_index[cause_id]]

    def question(self, question_id: str) -> Question:
        """The question with this id."""
        return self.questions[self.question_index[question_id]]

    def fix(self, fix_id: str) -> Fix:
        """The step with this id."""
        return self.fixes[self.fix_index[fix_id]]

    def url(self, fix: Fix) -> str:
        """Site-relative URL of the step's article, with its anchor."""
        url = self.articles[fix.article].url
        return f"{url}#{fix.anchor}" if fix.anchor else url


def load(text: str, *, articles: dict[str, Article], source_name: str = "knowledge.toml") -> Model:
    """Parse and validate knowledge text against an article registry.

    Args:
        text: TOML text shaped like diag/knowledge.toml.
        articles: The article registry (see `diag.articles.load_articles`).
        source_name: Named in error messages.

    Raises:
        ModelError: Listing every problem found, each naming its entry.
    """
    import tomllib  # noqa: PLC0415 - only when parsing TOML text: an installed wheel reads parsed.json

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ModelError(source_name, [f"not valid TOML: {error}"]) from None
    return from_dict(data, articles=articles, source_name=source_name)


@functools.cache
def default_model() -> Model:
    """The packaged model (diag/knowledge.toml + diag/articles.toml), loaded and validated once."""
    articles_data, knowledge_data = package_files.parsed("articles.toml"), package_files.parsed("knowledge.toml")
    if articles_data is not None and knowledge_data is not None:
        articles = articles_from_dict(articles_data, source_name="diag/articles.toml")
        return from_dict(knowledge_data, articles=articles, source_name="diag/knowledge.toml")
    articles = load_articles(package_files.read("articles.toml"), source_name="diag/articles.toml")
    return load(package_files.read("knowledge.toml"), articles=articles, source_name="diag/knowledge.toml")


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _text(entry: dict[str, Any], key: str) -> str:
    value = entry.get(key, "")
    return value if isinstance(value, str) else ""


class _Checker:
    """Collects problems while building; one ModelError at the end lists them all."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def add(self, where: str, problem: str) -> None:
        self.problems.append(f"{where}: {problem}")

    def number(
        self, where: str, entry: dict[str, Any], key: str, low: float, high: float, *, reason: str = ""
    ) -> float:
        value = _number(entry.get(key))
        if value is None:
            self.add(where, f"{key} must be a number")
            return low
        if not low <= value <= high:
            self.add(where, f"{key} = {value} is outside [{low}, {high}]")
        if reason and not _text(entry, reason).strip():
            self.add(where, f"{key} has no {reason} (every number needs one)")
        return value

    def text(self, where: str, entry: dict[str, Any], key: str) -> str:
        value = _text(entry, key)
        if not value.strip():
            self.add(where, f"missing {key}")
        return value

    def table_list(self, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
        entries = data.get(key, [])
        if not isinstance(entries, list) or not entries:
            self.add(f"[[{key}]]", "no entries")
            return []
        result = []
        for position, entry in enumerate(entries):
            if isinstance(entry, dict) and isinstance(entry.get("id"), str) and entry["id"]:
                result.append(entry)
            else:
                self.add(f"{key} #{position + 1}", "needs a table with a string id")
        seen: set[str] = set()
        for entry in result:
            if entry["id"] in seen:
                self.add(f"{key} {entry['id']!r}", "duplicate id")
            seen.add(entry["id"])
        return result


def from_dict(data: dict[str, Any], *, articles: dict[str, Article], source_name: str) -> Model:
    """Build and validate a model from parsed data (see `load`)."""
    check = _Checker()
    header = data.get("model", {})
    if not isinstance(header, dict):
        header = {}
        check.add("[model]", "must be a table")
    version = check.text("[model]", header, "version")
    noise = check.number("[model]", header, "answer_noise", 0.0, 0.5, reason="answer_noise_reason")
    burden = check.number("[model]", header, "question_burden", 0.0, 60.0, reason="question_burden_reason")
    step_check = check.number("[model]", header, "step_check", 0.0, 60.0, reason="step_check_reason")

    causes = _causes(check, data)
    cause_ids = {c.id for c in causes}
    questions = _questions(check, data, cause_ids, articles)
    fixes = _narrowed(check, questions, _fixes(check, data, cause_ids, {q.id for q in questions}, articles))
    _check_graph(check, causes, questions, fixes, articles)
    if check.problems:
        raise ModelError(source_name, check.problems)
    tables = _compile(causes, questions, fixes, noise=noise, burden=burden, step_check=step_check)
    return Model(
        version=version,
        answer_noise=noise,
        question_burden=burden,
        step_check=step_check,
        causes=tuple(causes),
        questions=tuple(questions),
        fixes=tuple(fixes),
        articles=articles,
        tables=tables,
    )


def _causes(check: _Checker, data: dict[str, Any]) -> list[Cause]:
    causes = []
    for entry in check.table_list(data, "cause"):
        where = f"cause {entry['id']!r}"
        prior = check.number(where, entry, "prior", 0.0, 1.0, reason="reason")
        if prior <= 0.0:
            check.add(where, "prior must be above 0 (a cause that can't happen is an orphan)")
        causes.append(
            Cause(
                id=entry["id"],
                code=_text(entry, "code"),
                title=check.text(where, entry, "title"),
                prior=prior,
                reason=_text(entry, "reason"),
                who=_who(check, where, entry, required=True),
                admin=_text(entry, "admin"),
            )
        )
    if causes:
        mass = math.fsum(c.prior for c in causes)
        if abs(mass - 1.0) > _TOLERANCE:
            check.add("[[cause]]", f"priors sum to {mass:.6f}, not 1")
    return causes


def _answers(check: _Checker, where: str, entry: dict[str, Any], articles: dict[str, Article]) -> list[Answer]:
    raw = entry.get("answers")
    if not isinstance(raw, list) or len(raw) < 2:
        check.add(where, "needs at least two answers")
        return []
    answers: list[Answer] = []
    for position, item in enumerate(raw):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            check.add(where, f"answer #{position + 1} needs an id")
            continue
        here = f"{where} answer {item['id']!r}"
        if item["id"] == DONT_KNOW:
            check.add(here, f"{DONT_KNOW!r} is added to every question automatically")
        if any(a.id == item["id"] for a in answers):
            check.add(here, "duplicate answer id")
        article = _text(item, "article")
        if article and article not in articles:
            check.add(here, f"links to unknown article {article!r}")
        text = check.text(here, item, "text")
        implies = item.get("implies", {})
        if not isinstance(implies, dict) or not all(isinstance(v, str) for v in implies.values()):
            check.add(here, 'implies must be a table like { question-id = "answer-id" }')
            implies = {}
        only_steps = item.get("only_steps", [])
        if not isinstance(only_steps, list) or not all(isinstance(s, str) for s in only_steps):
            check.add(here, 'only_steps must be a list like ["fix-id", ...]')
            only_steps = []
        elif only_steps and not _text(item, "only_steps_reason").strip():
            check.add(here, "only_steps has no only_steps_reason (say why no other step can apply)")
        hint = _text(item, "hint")
        _check_hint(check, here, hint)
        answers.append(
            Answer(
                id=item["id"],
                text=text,
                hint=hint,
                article=article,
                implies=tuple(sorted(implies.items())),
                fact=_text(item, "fact"),
                only_steps=tuple(only_steps),
            )
        )
    return answers


def _check_hint(check: _Checker, where: str, hint: str) -> None:
    """A hint names Settings paths as [[settings:ID]] from diag/settings_paths.toml, never by hand."""
    for path_id in unknown_references(hint):
        check.add(where, f"hint names Settings path {path_id!r}, which diag/settings_paths.toml does not have")
    if "Settings ›" in hint or "Settings >" in hint:
        check.add(where, "hint writes a Settings path by hand: name it as [[settings:ID]] (diag/settings_paths.toml)")


def _questions(
    check: _Checker, data: dict[str, Any], cause_ids: set[str], articles: dict[str, Article]
) -> list[Question]:
    questions = []
    for entry in check.table_list(data, "question"):
        where = f"question {entry['id']!r}"
        answers = _answers(check, where, entry, articles)
        answer_ids = [a.id for a in answers]
        likelihood = _likelihood(check, where, entry.get("likelihood", {}), answer_ids, cause_ids)
        article = _text(entry, "article")
        if article and article not in articles:
            check.add(where, f"links to unknown article {article!r}")
        first = entry.get("first", False)
        rules_out = entry.get("rules_out", True)
        if not isinstance(rules_out, bool):
            check.add(where, "rules_out must be true or false")
        elif not rules_out and not _text(entry, "rules_out_reason").strip():
            check.add(where, "rules_out = false needs a rules_out_reason")
        hint = _text(entry, "hint")
        _check_hint(check, where, hint)
        questions.append(
            Question(
                id=entry["id"],
                text=check.text(where, entry, "text"),
                hint=hint,
                article=article,
                cost=check.number(where, entry, "cost", 0.0, 600.0, reason="cost_reason"),
                first=first is True,
                answers=tuple(answers),
                likelihood=likelihood,
                rules_out=rules_out is not False,
            )
        )
    if sum(q.first for q in questions) > 1:
        check.add("[[question]]", "more than one question is marked first")
    return questions


def _likelihood(
    check: _Checker, where: str, raw: object, answer_ids: list[str], cause_ids: set[str]
) -> dict[str, dict[str, float]]:
    """Likelihood rows per cause (a `default` row fills unlisted causes); each must sum to 1."""
    if not isinstance(raw, dict):
        check.add(where, "likelihood must be a table")
        raw = {}
    rows: dict[str, dict[str, float]] = {}
    for cause_id, row in raw.items():
        here = f"{where} likelihood {cause_id!r}"
        if cause_id != "default" and cause_id not in cause_ids:
            check.add(here, "unknown cause")
        elif not isinstance(row, dict):
            check.add(here, "must be a table of answer = probability")
        else:
            rows[cause_id] = _row(check, here, row, answer_ids)
    likelihood: dict[str, dict[str, float]] = {}
    missing = []
    for cause_id in sorted(cause_ids):
        row_for = rows.get(cause_id, rows.get("default"))
        if row_for is None:
            missing.append(cause_id)
        else:
            likelihood[cause_id] = row_for
    if missing:
        check.add(where, f"no likelihood row (and no default) for {', '.join(missing)}")
    return likelihood


def _row(check: _Checker, here: str, row: dict[str, Any], answer_ids: list[str]) -> dict[str, float]:
    if not _text(row, "reason").strip():
        check.add(here, "has no reason")
    values: dict[str, float] = {}
    for key, value in row.items():
        if key == "reason":
            continue
        number = _number(value)
        if key not in answer_ids:
            check.add(here, f"unknown answer {key!r}")
        elif number is None or not 0.0 <= number <= 1.0:
            check.add(here, f"{key} = {value!r} is not a probability")
        else:
            values[key] = number
    mass = math.fsum(values.values())
    if abs(mass - 1.0) > _TOLERANCE:
        check.add(here, f"sums to {mass:.6f}, not 1")
    return {a: values.get(a, 0.0) for a in answer_ids}


def _fixes(
    check: _Checker,
    data: dict[str, Any],
    cause_ids: set[str],
    question_ids: set[str],
    articles: dict[str, Article],
) -> list[Fix]:
    fixes = []
    for entry in check.table_list(data, "fix"):
        where = f"fix {entry['id']!r}"
        kind = _text(entry, "kind")
        if kind not in KINDS:
            check.add(where, f"kind must be one of {', '.join(KINDS)}")
        article_id = check.text(where, entry, "article")
        title = _step_title(check, where, entry, kind, articles)
        anchor = _text(entry, "anchor")
        risk = _text(entry, "risk")
        if risk not in RISKS:
            check.add(where, f"risk must be one of {', '.join(RISKS)}")
        solves = _solves(check, where, entry.get("solves", {}), cause_ids)
        if "stale" in entry:
            check.add(where, "stale is no longer read: an answer stays a fact for the whole session; remove it")
        question = _text(entry, "question")
        if question and question not in question_ids:
            check.add(where, f"question names unknown question {question!r}")
        last_resort = entry.get("last_resort", False)
        if not isinstance(last_resort, bool):
            check.add(where, "last_resort must be true or false")
        fixes.append(
            Fix(
                id=entry["id"],
                kind=kind,
                title=title,
                article=article_id,
                anchor=anchor,
                minutes=check.number(where, entry, "minutes", 0.0, 600.0, reason="minutes_reason"),
                surcharge=check.number(where, entry, "surcharge", 0.0, 600.0, reason="surcharge_reason"),
                risk=risk,
                risk_note=check.text(where, entry, "risk_note"),
                last_resort=last_resort is True,
                solves=solves,
                question=question,
                who=_who(check, where, entry, required=False),
                not_when=_conditions(check, where, entry, "not_when"),
                only_when=_conditions(check, where, entry, "only_when"),
                message=_text(entry, "message"),
            )
        )
    return fixes


def _narrowed(check: _Checker, questions: list[Question], fixes: list[Fix]) -> list[Fix]:
    """Apply every answer's `only_steps`: each other plannable step gets that answer in its `not_when`."""
    fix_ids = {f.id for f in fixes}
    narrowed = fixes
    for question in questions:
        for answer in question.answers:
            if not answer.only_steps:
                continue
            for fix_id in answer.only_steps:
                if fix_id not in fix_ids:
                    check.add(f"question {question.id!r} answer {answer.id!r} only_steps", f"unknown step {fix_id!r}")
            keep = set(answer.only_steps)
            narrowed = [
                f if f.id in keep or f.escalation or f.question else _excluded(f, question.id, answer.id)
                for f in narrowed
            ]
    return narrowed


def _excluded(fix: Fix, question_id: str, answer_id: str) -> Fix:
    """The step with one more `not_when` answer."""
    conditions = dict(fix.not_when)
    conditions[question_id] = (*conditions.get(question_id, ()), answer_id)
    return replace(fix, not_when=tuple(sorted(conditions.items())))


def _who(check: _Checker, where: str, entry: dict[str, Any], *, required: bool) -> str:
    """`who` must name one of WHO; a step without one is done by the person."""
    who = entry.get("who")
    if who is None and not required:
        return "you"
    if who not in WHO:
        check.add(where, f"who must be one of {', '.join(WHO)}")
        return "you"
    return str(who)


def _conditions(
    check: _Checker, where: str, entry: dict[str, Any], key: str
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """`not_when` / `only_when`: { question-id = [answer-id, ...] } with a `<key>_reason` (checked shape only)."""
    raw = entry.get(key)
    if raw is None:
        return ()
    if not isinstance(raw, dict) or not raw:
        check.add(where, f'{key} must be a table like {{ question-id = ["answer-id", ...] }}')
        return ()
    if not _text(entry, f"{key}_reason").strip():
        check.add(where, f"{key} has no {key}_reason (say why the step makes no sense otherwise)")
    result = []
    for question_id, answers in sorted(raw.items()):
        if not isinstance(answers, list) or not answers or not all(isinstance(a, str) for a in answers):
            check.add(where, f"{key} {question_id!r} must be a non-empty list of answer ids")
            continue
        result.append((question_id, tuple(answers)))
    return tuple(result)


def _step_title(
    check: _Checker, where: str, entry: dict[str, Any], kind: str, articles: dict[str, Article]
) -> str:
    """A fix's title comes from its article; advice has its own. Also checks the article link."""
    article_id = _text(entry, "article")
    article = articles.get(article_id)
    title = _text(entry, "title")
    anchor = _text(entry, "anchor")
    if article is None:
        check.add(where, f"links to unknown article {article_id!r}")
        return title
    if anchor and anchor not in article.anchors:
        check.add(where, f"anchor {anchor!r} is not listed for article {article_id!r}")
    if kind in ("fix", "escalation"):
        if article.kind != "fix":
            check.add(where, f"article {article_id!r} is a {article.kind} page, not a fix page")
        if title:
            check.add(where, "a fix takes its title from articles.toml; remove title")
        return article.title
    if not title:
        check.add(where, "advice needs its own title")
    return title


def _solves(check: _Checker, where: str, raw: object, cause_ids: set[str]) -> dict[str, float]:
    if not isinstance(raw, dict):
        check.add(where, "solves must be a table")
        return {}
    solves: dict[str, float] = {}
    for cause_id, item in raw.items():
        here = f"{where} solves {cause_id!r}"
        if cause_id not in cause_ids:
            check.add(here, "unknown cause")
        elif not isinstance(item, dict):
            check.add(here, "must be { p = ..., reason = ... }")
        else:
            solves[cause_id] = check.number(here, item, "p", 0.0, 0.99, reason="reason")
    return solves


def _check_graph(
    check: _Checker,
    causes: list[Cause],
    questions: list[Question],
    fixes: list[Fix],
    articles: dict[str, Article],
) -> None:
    """Whole-model checks: escalation, orphans, and every fix page linked."""
    escalations = [f for f in fixes if f.kind == "escalation"]
    if len(escalations) != 1:
        check.add("[[fix]]", f"needs exactly one escalation step, found {len(escalations)}")
    for fix in fixes:
        if fix.cost <= 0.0:
            check.add(f"fix {fix.id!r}", "costs nothing (minutes + surcharge must be above 0)")
        if fix.kind == "escalation" and fix.solves:
            check.add(f"fix {fix.id!r}", "the escalation solves everything; leave solves out")
        if fix.kind != "escalation" and not fix.solves and not fix.question:
            check.add(f"fix {fix.id!r}", "orphan: solves no cause and is not done through a question")
    solved = {cause for fix in fixes for cause in fix.solves}
    for cause in causes:
        if cause.id not in solved and cause.id != "something-else":
            check.add(f"cause {cause.id!r}", "orphan: no step solves it")
    for question in questions:
        rows = {tuple(row.values()) for row in question.likelihood.values()}
        if len(rows) < 2:
            check.add(f"question {question.id!r}", "orphan: its answers don't tell any causes apart")
    _check_references(check, questions, fixes)
    linked = {f.article for f in fixes}
    for article in articles.values():
        if article.kind == "fix" and article.id not in linked:
            check.add(f"article {article.id!r}", "fix page not linked by any step")


def _check_references(check: _Checker, questions: list[Question], fixes: list[Fix]) -> None:
    """`implies`, `not_when` and `only_when` name real questions and answers."""
    by_id = {q.id: q for q in questions}

    def known(where: str, question_id: str, answer_id: str) -> None:
        target = by_id.get(question_id)
        if target is None:
            check.add(where, f"names unknown question {question_id!r}")
        elif target.answer(answer_id) is None:
            check.add(where, f"question {question_id!r} has no answer {answer_id!r}")

    for question in questions:
        for answer in question.answers:
            for question_id, answer_id in answer.implies:
                where = f"question {question.id!r} answer {answer.id!r} implies"
                if question_id == question.id:
                    check.add(where, "an answer can't imply its own question")
                elif question_id in by_id and by_id[question_id].first:
                    check.add(where, f"can't imply the first question {question_id!r}")
                known(where, question_id, answer_id)
    for fix in fixes:
        for key, conditions in (("not_when", fix.not_when), ("only_when", fix.only_when)):
            for question_id, answer_ids in conditions:
                for answer_id in answer_ids:
                    known(f"fix {fix.id!r} {key}", question_id, answer_id)
        if fix.who == "other-person" and not fix.message.strip():
            check.add(f"fix {fix.id!r}", "a step with the other person needs message (the words to send them)")


def _compile(
    causes: list[Cause], questions: list[Question], fixes: list[Fix], *, noise: float, burden: float, step_check: float
) -> Tables:
    """Turn the validated model into index tables; answer noise is mixed in here (never zero).

    A question's planning cost is its minutes plus the model's `question_burden`; every step
    but the escalation costs the model's `step_check` more (the test message after it).
    """
    cause_pos = {c.id: i for i, c in enumerate(causes)}
    solves = tuple(
        tuple(sorted((cause_pos[c], p) for c, p in f.solves.items() if p > 0.0)) if not f.escalation else ()
        for f in fixes
    )
    likelihood = []
    for q in questions:
        share = noise / len(q.answers)
        likelihood.append(
            tuple(
                tuple((1.0 - noise) * q.likelihood[c.id][a.id] + share for c in causes) for a in q.answers
            )
        )
    escalation = next(f for f in fixes if f.escalation)
    checked = [0.0 if f.escalation else step_check for f in fixes]
    contacts = tuple(
        Contact(
            fix=i,
            cost=f.cost + checked[i],
            minutes=f.minutes + checked[i],
            solves=solves[i],
            referred=tuple(cause_pos[c.id] for c in causes if c.who == f.who),
        )
        for i, f in enumerate(fixes)
        if f.contact
    )
    return Tables(
        prior=tuple(c.prior for c in causes),
        fix_cost=tuple(f.cost + c for f, c in zip(fixes, checked, strict=True)),
        fix_minutes=tuple(f.minutes + c for f, c in zip(fixes, checked, strict=True)),
        fix_solves=solves,
        fix_neighbours=neighbours(solves),
        question_cost=tuple(q.cost + burden for q in questions),
        likelihood=tuple(likelihood),
        service_cost=escalation.cost,
        service_minutes=escalation.minutes,
        contacts=contacts,
    )
