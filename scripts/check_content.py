#!/usr/bin/env python3
"""Checks the bot's content before it is trained: `make check-content`.

Reports every problem as FILE:LINE: message and exits 1 if there is any:
- Finnish/Swedish parity: the same NLU files and intents on both sides, every response and every
  service text in both languages, the same {placeholders} and buttons in both;
- examples repeated within an intent or found in two intents;
- too few examples for an intent (15 per language);
- empty or over-long answers, malformed links, unfilled placeholders (TODO, XXX, {{, [[);
- FAQ topics: every `faq/<topic>` has an answer `utter_faq/<topic>` and the other way round, and
  answers use only the placeholders the bot fills ({customer_advice}, {county_website});
- bot/content/topics.yml names existing FAQ topics and service areas;
- the quality gates' data: at least 5 held-out examples per intent and FAQ topic per language
  (tests/nlu/heldout*_<lang>.yml), none of them also a training example, no training example a copy
  of a message of the frozen realistic sets (tests/realistic/), and every FAQ topic in
  the regression stories of both languages (tests/conversations/stories/*_<lang>.yml).
Standard library and PyYAML only.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("fi", "sv")
MIN_EXAMPLES = 15
MAX_ANSWER = 1200
URL = re.compile(r"https?://\S+")
GOOD_URL = re.compile(r"https://[a-z0-9-]+(\.[a-z0-9-]+)+(/[\w\-./?%&=#~+]*)?", re.IGNORECASE)
UNFILLED = re.compile(r"\bTODO\b|\bXXX\b|\{\{|\}\}|\[\[|\]\]|lorem ipsum", re.IGNORECASE)
PLACEHOLDER = re.compile(r"\{(\w+)\}")
RETRIEVAL_INTENT = "faq"
FAQ_PLACEHOLDERS = {"customer_advice", "county_website"}
MIN_HELD_OUT = 5


@dataclass(frozen=True)
class Where:
    path: Path
    line: int

    def __str__(self) -> str:
        try:
            shown = self.path.relative_to(ROOT)
        except ValueError:
            shown = self.path
        return f"{shown}:{self.line}"


class Problems(list[str]):
    def add(self, where: Where, message: str) -> None:
        self.append(f"{where}: {message}")


def compose(path: Path, problems: Problems) -> Node | None:
    try:
        return yaml.compose(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problems.add(Where(path, mark.line + 1 if mark else 1), f"not valid YAML: {error}")
        return None


def get(node: Node | None, key: str) -> Node | None:
    if isinstance(node, MappingNode):
        for key_node, value in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value == key:
                return value
    return None


def at(path: Path, node: Node) -> Where:
    return Where(path, node.start_mark.line + 1)


# ------------------------------------------------------------------ NLU examples


def nlu_intents(path: Path, problems: Problems) -> dict[str, tuple[Where, list[tuple[str, Where]]]]:
    """intent → (where it is declared, [(example, where)])"""
    found: dict[str, tuple[Where, list[tuple[str, Where]]]] = {}
    nlu = get(compose(path, problems), "nlu")
    if not isinstance(nlu, SequenceNode):
        return found
    for item in nlu.value:
        intent = get(item, "intent")
        examples = get(item, "examples")
        if not isinstance(intent, ScalarNode) or not isinstance(examples, ScalarNode):
            continue
        first_line = examples.start_mark.line + 2  # a block scalar's text starts on the next line
        lines = [
            (line.strip()[2:].strip(), Where(path, first_line + number))
            for number, line in enumerate(examples.value.splitlines())
            if line.strip().startswith("- ")
        ]
        # An intent may have several blocks (one per service area or crisis kind, with metadata).
        where, earlier = found.get(intent.value, (at(path, intent), []))
        found[intent.value] = (where, earlier + lines)
    return found


def check_nlu(data: Path, problems: Problems) -> None:
    files = {
        lang: {p.name: p for p in sorted((data / f"nlu_{lang}").glob("*.yml"))}
        for lang in LANGUAGES
    }
    for lang, other in (("fi", "sv"), ("sv", "fi")):
        for name in sorted(set(files[lang]) - set(files[other])):
            problems.add(Where(files[lang][name], 1), f"no data/nlu_{other}/{name} beside it")
    seen: dict[str, list[tuple[str, Where]]] = defaultdict(list)
    # Per language, over all its files: an intent may be spread over files (a common question
    # about a past danger in safety.yml, the topic's other examples in faq_*.yml).
    totals: dict[str, dict[str, tuple[Where, int]]] = {lang: {} for lang in LANGUAGES}
    for lang in LANGUAGES:
        for path in files[lang].values():
            for intent, (where, examples) in nlu_intents(path, problems).items():
                first, count = totals[lang].get(intent, (where, 0))
                totals[lang][intent] = (first, count + len(examples))
                for text, example_at in examples:
                    seen[text.casefold()].append((intent, example_at))
    for lang, other in (("fi", "sv"), ("sv", "fi")):
        for intent in sorted(set(totals[lang]) - set(totals[other])):
            problems.add(totals[lang][intent][0], f"intent {intent} has no {other} examples")
        for intent, (where, count) in totals[lang].items():
            if count < MIN_EXAMPLES:
                problems.add(
                    where, f"intent {intent}: {count} {lang} examples, {MIN_EXAMPLES} wanted"
                )
    for text, places in seen.items():
        first_intent, first_at = places[0]
        for intent, where in places[1:]:
            kind = "repeated" if intent == first_intent else f"also in intent {first_intent}"
            problems.add(where, f"example {text!r} {kind} (first at {first_at})")


# ------------------------------------------------------------------ responses and texts


def check_text(text: str, where: Where, problems: Problems) -> None:
    if not text.strip():
        problems.add(where, "empty text")
        return
    if len(text) > MAX_ANSWER:
        problems.add(where, f"text is {len(text)} characters long, at most {MAX_ANSWER}")
    if UNFILLED.search(text):
        problems.add(where, f"unfilled placeholder: {UNFILLED.search(text).group(0)!r}")  # type: ignore[union-attr]
    for url in URL.findall(text):
        url = url.rstrip(".,;:!?)")
        if not GOOD_URL.fullmatch(url):
            problems.add(where, f"malformed or non-https link {url!r}")


def check_responses(domain: Path, problems: Problems) -> None:
    for path in sorted(domain.glob("*.yml")):
        responses = get(compose(path, problems), "responses")
        if not isinstance(responses, MappingNode):
            continue
        for name_node, variations in responses.value:
            name = name_node.value
            groups: dict[tuple[str, ...], dict[str, tuple[str, list[str], Where, str]]] = (
                defaultdict(dict)
            )
            for variation in variations.value if isinstance(variations, SequenceNode) else []:
                data = yaml.safe_load(yaml.serialize(variation)) or {}
                where = at(path, variation)
                conditions = data.get("condition") or []
                languages = [c.get("value") for c in conditions if c.get("name") == "language"]
                if len(languages) != 1 or languages[0] not in LANGUAGES:
                    problems.add(
                        where,
                        f"{name}: a variation needs exactly one language condition (fi or sv)",
                    )
                    continue
                others = tuple(
                    sorted(
                        f"{c.get('name')}={c.get('value')}"
                        for c in conditions
                        if c.get("name") != "language"
                    )
                )
                text = str(data.get("text") or "")
                check_text(text, where, problems)
                buttons = [str(b.get("payload")) for b in data.get("buttons") or []]
                offer = str((data.get("custom") or {}).get("offer") or "")
                groups[others][languages[0]] = (text, buttons, where, offer)
            for others, by_language in groups.items():
                label = f"{name}{' ' + ' '.join(others) if others else ''}"
                for lang in LANGUAGES:
                    if lang not in by_language:
                        present = next(iter(by_language.values()))[2]
                        problems.add(present, f"{label}: no {lang} variation")
                if all(lang in by_language for lang in LANGUAGES):
                    fi, sv = by_language["fi"], by_language["sv"]
                    if sorted(PLACEHOLDER.findall(fi[0])) != sorted(PLACEHOLDER.findall(sv[0])):
                        problems.add(sv[2], f"{label}: placeholders differ from the fi variation")
                    if fi[1] != sv[1]:
                        problems.add(
                            sv[2], f"{label}: button payloads differ from the fi variation"
                        )
                    if fi[3] != sv[3]:
                        # "yes" after an offer of contact starts the hand-off in either language
                        problems.add(sv[2], f"{label}: custom.offer differs from the fi variation")


def check_service_texts(texts: Path, problems: Problems) -> None:
    for path in sorted(texts.glob("*.yml")):
        root = compose(path, problems)
        if not isinstance(root, MappingNode):
            continue
        for key_node, value in root.value:
            where = at(path, key_node)
            by_language = {lang: get(value, lang) for lang in LANGUAGES}
            for lang, node in by_language.items():
                if not isinstance(node, ScalarNode):
                    problems.add(where, f"{key_node.value}: no {lang} text")
                else:
                    check_text(node.value, at(path, node), problems)
            fi, sv = by_language["fi"], by_language["sv"]
            if (
                isinstance(fi, ScalarNode)
                and isinstance(sv, ScalarNode)
                and sorted(PLACEHOLDER.findall(fi.value)) != sorted(PLACEHOLDER.findall(sv.value))
            ):
                problems.add(at(path, sv), f"{key_node.value}: placeholders differ from fi")


# ------------------------------------------------------------------ FAQ topics and test data


def training_intents(
    root: Path, lang: str, problems: Problems
) -> dict[str, tuple[Where, list[tuple[str, Where]]]]:
    """intent → (where it is first declared, [(example, where)] over all the language's files)"""
    found: dict[str, tuple[Where, list[tuple[str, Where]]]] = {}
    for path in sorted((root / "data" / f"nlu_{lang}").glob("*.yml")):
        for intent, (where, examples) in nlu_intents(path, problems).items():
            first, earlier = found.get(intent, (where, []))
            found[intent] = (first, earlier + examples)
    return found


def faq_answers(domain: Path, problems: Problems) -> dict[str, tuple[Where, list[str]]]:
    """topic → (where its answer is, the texts of its variations)"""
    answers: dict[str, tuple[Where, list[str]]] = {}
    prefix = f"utter_{RETRIEVAL_INTENT}/"
    for path in sorted(domain.glob("*.yml")):
        responses = get(compose(path, problems), "responses")
        if not isinstance(responses, MappingNode):
            continue
        for name_node, variations in responses.value:
            if str(name_node.value).startswith(prefix):
                texts = [
                    str((yaml.safe_load(yaml.serialize(v)) or {}).get("text") or "")
                    for v in (variations.value if isinstance(variations, SequenceNode) else [])
                ]
                answers[name_node.value.removeprefix("utter_")] = (at(path, name_node), texts)
    return answers


def check_faq(root: Path, problems: Problems) -> None:
    answers = faq_answers(root / "bot" / "domain", problems)
    for lang in LANGUAGES:
        topics = {
            name: where
            for name, (where, _) in training_intents(root, lang, Problems()).items()
            if name.startswith(f"{RETRIEVAL_INTENT}/")
        }
        for topic in sorted(set(topics) - set(answers)):
            problems.add(topics[topic], f"{topic} has no answer utter_{topic} in bot/domain")
        for topic in sorted(set(answers) - set(topics)):
            problems.add(
                answers[topic][0], f"utter_{topic}: no {lang} training examples for {topic}"
            )
    for topic, (where, texts) in sorted(answers.items()):
        unknown = {name for text in texts for name in PLACEHOLDER.findall(text)} - FAQ_PLACEHOLDERS
        if unknown:
            problems.add(
                where,
                f"utter_{topic}: unknown placeholder(s) {sorted(unknown)}; an FAQ answer may use "
                + ", ".join("{" + name + "}" for name in sorted(FAQ_PLACEHOLDERS)),
            )


_FOLD = str.maketrans({"ä": "a", "ö": "o", "å": "a", "é": "e"})


def comparable(text: str) -> str:
    """An example as compared with the held-out sets: case, ä/ö/å and punctuation ignored, so
    that "mikä on hätänumero?" and "mika on hatanumero" count as the same example."""
    return " ".join(re.sub(r"[^\w\s]+", " ", text.casefold().translate(_FOLD)).split())


def frozen_texts(path: Path, trained_on: dict[str, Where], problems: Problems) -> None:
    """The frozen realistic sets (tests/realistic/) are never trained on: a training example that is
    one of their messages or dialogue turns of four words or more is refused (a short reply such
    as "joo" or "när som helst" is everyone's)."""
    loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    texts = [str(item["text"]) for item in loaded.get("messages") or []]
    texts += [
        str(turn["user"])
        for dialogue in loaded.get("dialogues") or []
        for turn in dialogue.get("turns") or []
    ]
    for text in texts:
        if len(comparable(text).split()) >= 4 and comparable(text) in trained_on:
            problems.add(
                trained_on[comparable(text)],
                f"training example {text!r} is a copy of the frozen realistic set {path.name}; "
                "the realistic sets are never trained on",
            )


def check_topic_areas(root: Path, problems: Problems) -> None:
    """bot/content/topics.yml names existing topics and service areas."""
    path = root / "bot" / "content" / "topics.yml"
    if not path.exists():
        return
    topics = set(faq_answers(root / "bot" / "domain", Problems()))
    areas = {"lanupe", "working_age", "elderly", "disability"}
    node = get(compose(path, problems), "service_area")
    if not isinstance(node, MappingNode):
        problems.add(Where(path, 1), "service_area: a mapping of topic: area expected")
        return
    for key, value in node.value:
        if f"{RETRIEVAL_INTENT}/{key.value}" not in topics:
            problems.add(at(path, key), f"unknown topic {key.value!r}")
        if value.value not in areas:
            problems.add(at(path, value), f"unknown service area {value.value!r}")


def check_test_data(root: Path, problems: Problems) -> None:
    tests = root / "tests"
    for lang in LANGUAGES:
        training = training_intents(root, lang, Problems())
        trained_on = {
            comparable(text): where for _, examples in training.values() for text, where in examples
        }
        held_out: dict[str, int] = defaultdict(int)
        files = sorted((tests / "nlu").glob(f"heldout*_{lang}.yml"))
        fresh = sorted((tests / "nlu").glob(f"fresh*_{lang}.yml"))
        for path in [*files, *fresh]:
            for intent, (_, examples) in nlu_intents(path, problems).items():
                if path in files:
                    held_out[intent] += len(examples)
                for text, where in examples:
                    if comparable(text) in trained_on:
                        problems.add(
                            where,
                            f"test example {text!r} is also training data "
                            f"({trained_on[comparable(text)]}); test examples are never "
                            "trained on",
                        )
        for path in sorted((tests / "realistic").glob(f"*_{lang}.yml")):
            frozen_texts(path, trained_on, problems)
        place = Where(files[0] if files else tests / "nlu" / f"heldout_{lang}.yml", 1)
        for intent in sorted(training):
            if held_out[intent] < MIN_HELD_OUT:
                problems.add(
                    place,
                    f"{intent}: {held_out[intent]} held-out {lang} examples, {MIN_HELD_OUT} wanted",
                )
        covered: set[str] = set()
        story_files = sorted((tests / "conversations" / "stories").glob(f"*_{lang}.yml"))
        for path in story_files:
            for story in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get(
                "stories"
            ) or []:
                covered |= {
                    str(step["intent"]) for step in story.get("steps") or [] if "intent" in step
                }
        story_place = Where(
            story_files[0]
            if story_files
            else tests / "conversations" / "stories" / f"test_faq_{lang}.yml",
            1,
        )
        for topic in sorted(t for t in training if t.startswith(f"{RETRIEVAL_INTENT}/")):
            if topic not in covered:
                problems.add(story_place, f"{topic} is in no {lang} regression story")


def check(root: Path = ROOT) -> Problems:
    problems = Problems()
    check_nlu(root / "data", problems)
    check_responses(root / "bot" / "domain", problems)
    check_service_texts(root / "handoff" / "texts", problems)
    check_faq(root, problems)
    check_topic_areas(root, problems)
    check_test_data(root, problems)
    return problems


def main() -> int:
    root = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else ROOT
    problems = check(root)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} content problem(s)", file=sys.stderr)
        return 1
    print("content OK: Finnish and Swedish in parity, no duplicates, no broken texts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
