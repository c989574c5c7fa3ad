"""LinearIntentClassifier: trained on a small data set, saved and loaded as Rasa does, and its
output in the shape Rasa's fallback, the rule components and ActionRetrieveResponse read."""

import hashlib
from pathlib import Path

import numpy as np
import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.linear_classifier import LinearIntentClassifier

EXAMPLES = {
    "greet": ["hei", "moikka", "hej", "hejsan", "huomenta", "god morgon"],
    "concern": [
        "äiti ei pärjää enää kotona",
        "isä on yksin eikä jaksa",
        "min mamma klarar sig inte hemma",
        "pappa orkar inte längre",
    ],
    "faq/dental_care": [
        "miten varaan ajan hammaslääkärille",
        "hammassärky, mihin soitan",
        "hur bokar jag tid till tandläkaren",
        "tandvärk, vart ringer jag",
    ],
    "faq/home_care": [
        "mitä kotihoito maksaa",
        "miten kotihoitoa haetaan",
        "vad kostar hemvården",
        "hur ansöker man om hemvård",
    ],
}


def training_data() -> TrainingData:
    messages = []
    for label, texts in EXAMPLES.items():
        intent, _, topic = label.partition("/")
        for text in texts:
            data = {"text": text, "intent": intent}
            if topic:
                data["intent_response_key"] = label
            messages.append(Message(data=data))
    return TrainingData(training_examples=messages)


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> LinearIntentClassifier:
    storage = LocalModelStorage(Path(tmp_path_factory.mktemp("model")))
    resource = Resource("linear")
    LinearIntentClassifier.create({}, storage, resource, None).train(training_data())
    return LinearIntentClassifier.load({}, storage, resource, None)


def parse(classifier: LinearIntentClassifier, text: str) -> Message:
    return classifier.process([Message(data={"text": text})])[0]


def test_a_common_question_gets_the_retrieval_intent_and_its_topic(
    trained: LinearIntentClassifier,
) -> None:
    message = parse(trained, "mihin soitan kun on hammassärky")
    assert message.get("intent")["name"] == "faq"
    chosen = message.get("response_selector")["faq"]["response"]
    assert chosen["intent_response_key"] == "faq/dental_care"
    assert chosen["utter_action"] == "utter_faq/dental_care"
    assert message.get("response_selector")["all_retrieval_intents"] == ["faq"]


def test_the_retrieval_intents_confidence_is_the_sum_of_its_topics(
    trained: LinearIntentClassifier,
) -> None:
    message = parse(trained, "hur bokar man tid till tandläkaren")
    ranking = {item["name"]: item["confidence"] for item in message.get("intent_ranking")}
    assert set(ranking) == {"greet", "concern", "faq"}
    assert sum(ranking.values()) == pytest.approx(1.0)
    assert message.get("intent")["confidence"] == pytest.approx(ranking["faq"])
    topics = message.get("response_selector")["faq"]["ranking"]
    assert sum(topic["confidence"] for topic in topics) == pytest.approx(1.0)
    assert topics[0]["intent_response_key"] == "faq/dental_care"


def test_an_ordinary_intent_is_not_a_topic(trained: LinearIntentClassifier) -> None:
    message = parse(trained, "mamma klarar sig inte längre hemma")
    assert message.get("intent")["name"] == "concern"
    assert message.get("intent_ranking")[0]["name"] == "concern"


def test_accents_are_folded(trained: LinearIntentClassifier) -> None:
    plain = parse(trained, "aiti ei parjaa kotona").get("intent_ranking")
    accented = parse(trained, "äiti ei pärjää kotona").get("intent_ranking")
    assert plain == accented


def test_the_most_probable_label_decides_not_the_summed_topics(tmp_path: Path) -> None:
    """Many unlikely topics must not outvote the one intent the message resembles."""
    classifier = LinearIntentClassifier.create(
        {}, LocalModelStorage(tmp_path), Resource("linear"), None
    )
    message = Message(data={"text": "x"})
    classifier._retrieval_intents = ["faq"]
    labels = ["concern", "faq/a", "faq/b", "faq/c"]
    classifier._set_prediction(message, labels, np.array([0.4, 0.2, 0.2, 0.2]))
    assert message.get("intent") == {"name": "concern", "confidence": 0.4}
    assert message.get("intent_ranking")[0]["name"] == "faq"  # 0.6 in all, ranked as such


def test_an_untrained_classifier_leaves_messages_alone(tmp_path: Path) -> None:
    classifier = LinearIntentClassifier.load(
        {}, LocalModelStorage(tmp_path), Resource("missing"), None
    )
    assert parse(classifier, "hei").get("intent") is None


def test_a_change_to_the_classifiers_code_changes_its_fingerprint() -> None:
    from bot.components.label_classifier import LabelClassifier

    components = Path(__file__).resolve().parents[2] / "bot" / "components"
    linear = (components / "linear_classifier.py").read_bytes()
    label = (components / "label_classifier.py").read_bytes()
    assert LinearIntentClassifier.fingerprint_addon({}) == hashlib.sha256(linear).hexdigest()
    # the LabelClassifier's models are built by linear_classifier.py too
    assert LabelClassifier.fingerprint_addon({}) == hashlib.sha256(label + linear).hexdigest()
