"""GET /metrics in Prometheus's text format."""

import logging

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy.exc import SQLAlchemyError

from handoff.deps import SessionDep
from handoff.live import service as live
from handoff.observability.metrics import Metrics

logger = logging.getLogger(__name__)
router = APIRouter(tags=["operations"])


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request, db: SessionDep) -> Response:
    """The app's metrics, with the live-chat queue counted now."""
    registry: Metrics = request.app.state.metrics
    try:
        registry.live_chats_waiting.set(len(live.waiting_chats(db=db)))
    except SQLAlchemyError as error:  # the counters are still worth scraping without the queue
        logger.warning("live-chat queue not counted: %s", error.__class__.__name__)
    return Response(generate_latest(registry.registry), media_type=CONTENT_TYPE_LATEST)
