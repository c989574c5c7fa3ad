"""A tokenizer for Finnish and Swedish: spaCy's rule-based tokenisation, and as each token's lemma
a language-independent stem, the accent-folded word cut to its first `stem_length` characters.

Finnish piles case endings and clitics onto the stem ("hammashoitolaan", "hammashoitolassa") and
Swedish adds definite endings ("tandvården"); truncation puts such forms under one feature without
a dictionary or a trained model, in both languages alike (one model serves both). Rasa's
CountVectorsFeaturizer uses the lemma when `use_lemma` is on (its default).

Measured against the alternatives in docs/nlu-pipeline.md (`make nlu-compare`).
"""

from __future__ import annotations

from typing import Any

import spacy
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

from bot.components.lexicon import fold


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class StemmingTokenizer(Tokenizer):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
            # spaCy's tokenisation rules of this language (Finnish and Swedish differ little)
            "spacy_language": "fi",
            "stem_length": 6,
        }

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self._nlp = spacy.blank(self._config["spacy_language"])
        self._stem_length = int(self._config["stem_length"])

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> StemmingTokenizer:
        return cls(config)

    def stem(self, word: str) -> str:
        return fold(word)[: self._stem_length]

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        text = message.get(attribute)
        tokens = [
            Token(t.text, t.idx, lemma=self.stem(t.text))
            for t in self._nlp.make_doc(text)
            if not (t.is_space or t.is_punct)
        ]
        if not tokens:  # only punctuation or emoji: the whole text as one token
            tokens = [Token(text, 0, lemma=self.stem(text))]
        return self._apply_token_pattern(tokens)
