"""The action server's only HTTP client of the handoff service."""

import os
from dataclasses import dataclass
from typing import Any

import aiohttp


class HandoffApiError(Exception):
    """The handoff service could not be reached or refused the request."""


@dataclass(frozen=True)
class HandoffApi:
    base_url: str
    token: str
    timeout_seconds: float = 10.0

    @classmethod
    def from_environment(cls) -> "HandoffApi":
        return cls(
            base_url=os.environ.get("HANDOFF_API_URL", "http://127.0.0.1:8000").rstrip("/"),
            token=os.environ.get("HANDOFF_ACTIONS_TOKEN", ""),
        )

    async def _post(
        self, path: str, body: dict[str, Any], headers: dict[str, str] | None = None
    ) -> "tuple[int, dict[str, Any]]":
        all_headers = {"Authorization": f"Bearer {self.token}", **(headers or {})}
        timeout = aiohttp.ClientTimeout(total=self.timeout_seconds)
        try:
            async with (
                aiohttp.ClientSession(timeout=timeout) as session,
                session.post(f"{self.base_url}{path}", json=body, headers=all_headers) as response,
            ):
                data = await response.json(content_type=None)
                return response.status, data if isinstance(data, dict) else {}
        except (aiohttp.ClientError, TimeoutError, ValueError) as error:
            raise HandoffApiError(f"{path}: {error.__class__.__name__}") from error

    async def create_ticket(
        self, ticket: dict[str, Any], *, idempotency_key: str
    ) -> dict[str, Any]:
        """Create the ticket (or get the one this key already created)."""
        status, data = await self._post(
            "/api/v1/tickets", ticket, {"Idempotency-Key": idempotency_key}
        )
        if status not in (200, 201):
            raise HandoffApiError(f"creating a ticket: HTTP {status}: {data.get('detail')}")
        return data

    async def ticket_status(
        self, *, reference: str, phone_last4: str | None = None, conversation_id: str | None = None
    ) -> dict[str, Any] | None:
        """The ticket's status, or None when the reference and the proof (the phone's last four
        digits, or the conversation that created the ticket) do not match a ticket."""
        proof = (
            {"conversation_id": conversation_id}
            if conversation_id is not None
            else {"phone_last4": phone_last4}
        )
        status, data = await self._post(
            "/api/v1/tickets/status-lookup", {"reference": reference, **proof}
        )
        if status == 404:
            return None
        if status != 200:
            raise HandoffApiError(f"status lookup: HTTP {status}")
        return data
