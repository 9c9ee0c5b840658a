"""A small Python client for a Charter server's REST API.

from charter.client import Client
with Client("http://127.0.0.1:8000", token="chr_...") as charter:
    for system in charter.systems(stage="deployed"):
        print(system["name"])
"""

from __future__ import annotations

from collections.abc import Iterator
from types import TracebackType
from typing import Any, Self

import httpx


class ClientError(Exception):
    """The server refused the request; carries the problem+json body."""

    def __init__(self, status: int, problem: dict[str, Any]) -> None:
        super().__init__(f"{status}: {problem.get('detail', problem)}")
        self.status, self.problem = status, problem


class Client:
    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._http = httpx.Client(
            base_url=base_url.rstrip("/") + "/api/v1",
            timeout=timeout,
            headers={"Authorization": f"Bearer {token}"},
            transport=transport,
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._http.request(method, path, **kwargs)
        if response.status_code >= 400:
            try:
                body = response.json()
            except ValueError:
                body = {"detail": response.text}
            raise ClientError(response.status_code, body)
        return response.json() if response.content else None

    def _pages(self, path: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
        offset = 0
        while True:
            page = self.request("GET", path, params={**params, "offset": offset, "limit": 200})
            yield from page["items"]
            offset += len(page["items"])
            if not page["items"] or offset >= page["total"]:
                return

    def me(self) -> dict[str, Any]:
        result: dict[str, Any] = self.request("GET", "/me")
        return result

    def systems(self, **filters: Any) -> list[dict[str, Any]]:
        """Every system the token may read, across pages; filters as in GET /systems."""
        return list(self._pages("/systems", {k: v for k, v in filters.items() if v is not None}))

    def system(self, system_id: str) -> dict[str, Any]:
        result: dict[str, Any] = self.request("GET", f"/systems/{system_id}")
        return result

    def register_system(self, **fields: Any) -> dict[str, Any]:
        result: dict[str, Any] = self.request("POST", "/systems", json=fields)
        return result

    def raci_findings(self) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = self.request("GET", "/raci/findings")["items"]
        return items

    def request_transition(self, system_id: str, to: str, reason: str) -> dict[str, Any]:
        result: dict[str, Any] = self.request(
            "POST", f"/systems/{system_id}/transitions", json={"to": to, "reason": reason}
        )
        return result

    def decide(self, request_id: str, decision: str, reason: str) -> dict[str, Any]:
        result: dict[str, Any] = self.request(
            "POST",
            f"/transitions/{request_id}/decisions",
            json={"decision": decision, "reason": reason},
        )
        return result

    def validate(
        self,
        system_id: str,
        suite: dict[str, Any],
        engine: str = "duckdb",
        model_version_id: str | None = None,
    ) -> dict[str, Any]:
        """Run a suite on the server (its files under the server's data folder) and record
        the evidence; the result says whether every blocking check was satisfied."""
        body = {"suite": suite, "engine": engine, "model_version_id": model_version_id}
        result: dict[str, Any] = self.request(
            "POST", f"/systems/{system_id}/validations", json=body
        )
        return result

    def evidence(self, system_id: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = self.request("GET", f"/systems/{system_id}/evidence")["items"]
        return items

    def gate_check(self, system_id: str, to: str, policies_only: bool = False) -> dict[str, Any]:
        """Would the gate to `to` pass now? (`passed`, `blocking`, per-policy verdicts)"""
        params = {"to": to, "policies_only": str(policies_only).lower()}
        result: dict[str, Any] = self.request("GET", f"/systems/{system_id}/gate", params=params)
        return result

    def posture(self, soon_days: int = 30) -> dict[str, Any]:
        result: dict[str, Any] = self.request("GET", "/posture", params={"soon_days": soon_days})
        return result

    def policies(self) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = self.request("GET", "/policies")["items"]
        return items

    def load_policies(self, policies: list[dict[str, Any]]) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = self.request(
            "POST", "/policies", json={"policies": policies}
        )["items"]
        return items

    def grant_waiver(self, **fields: Any) -> dict[str, Any]:
        """system_id, policy_id, requirement_id, reason, compensating_measures, expires_at"""
        result: dict[str, Any] = self.request("POST", "/waivers", json=fields)
        return result
