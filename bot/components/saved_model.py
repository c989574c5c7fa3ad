"""A trainable Rasa component whose trained model is one joblib file in Rasa's model storage
(the LinearIntentClassifier and the LabelClassifier): creating, saving, loading, and the
fingerprint that keeps Rasa's training cache from reusing a model trained by older code."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import joblib
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage

logger = logging.getLogger(__name__)
COMPONENTS = Path(__file__).resolve().parent
Component = TypeVar("Component", bound="SavedModelComponent")


class SavedModelComponent(GraphComponent):
    MODEL_FILE: ClassVar[str]
    # The files whose code shapes the trained model (the component's own module and what it uses).
    SOURCES: ClassVar[tuple[str, ...]]

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        saved: Any = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.restore(saved)

    def restore(self, saved: Any) -> None:
        """Take the trained model as saved by `save` (None: nothing trained yet)."""
        raise NotImplementedError

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        digest = hashlib.sha256()
        for name in cls.SOURCES:
            digest.update((COMPONENTS / name).read_bytes())
        return digest.hexdigest()

    @classmethod
    def create(
        cls: type[Component],
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> Component:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls: type[Component],
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> Component:
        try:
            with model_storage.read_from(resource) as directory:
                saved = joblib.load(Path(directory) / cls.MODEL_FILE)
        except ValueError:
            logger.warning("%s found no trained model; it predicts nothing.", cls.__name__)
            return cls(config, model_storage, resource)
        return cls(config, model_storage, resource, saved)

    def save(self, saved: Any) -> Resource:
        """Write the trained model to Rasa's model storage; `restore` takes it back."""
        with self._model_storage.write_to(self._resource) as directory:
            joblib.dump(saved, Path(directory) / self.MODEL_FILE)
        self.restore(saved)
        return self._resource
