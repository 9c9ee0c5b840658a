"""An MLflow tracking server's model registry read over its REST API
(https://mlflow.org/docs/latest/rest-api.html) with httpx: Charter imports no MLflow code.
Registered models, their versions (stage, aliases, tags, source) and each version's run
(metrics, end time, input datasets)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx

from charter.integrations.domain.mlflow import Registered, RegisteredVersion, Run
from charter.kernel.errors import InvalidInput, Unreadable

PAGE = 200
#: the most registered models one sync reads (a registry larger than this is refused)
MAX_MODELS = 10_000


def _tags(raw: Any) -> dict[str, str]:
    return {str(t["key"]): str(t.get("value", "")) for t in raw or () if "key" in t}


def _time(millis: Any) -> datetime | None:
    return datetime.fromtimestamp(int(millis) / 1000, UTC) if millis else None


class HttpRegistry:
    """The registry of the tracking server at `url`, with a bearer token when given."""

    def __init__(self, url: str, token: str | None = None, timeout: float = 30.0) -> None:
        if not url.startswith(("http://", "https://")):
            raise InvalidInput(f"the MLflow tracking URL must be http(s): {url!r}")
        self._url = url.rstrip("/")
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._client = httpx.Client(base_url=self._url, headers=headers, timeout=timeout)

    @property
    def url(self) -> str:
        return self._url

    def _get(self, path: str, **params: Any) -> dict[str, Any]:
        try:
            answer = self._client.get(f"/api/2.0/mlflow/{path}", params=params)
        except httpx.HTTPError as exc:
            raise Unreadable(f"the MLflow server at {self._url} did not answer: {exc}") from exc
        if answer.status_code != 200:
            raise Unreadable(
                f"the MLflow server at {self._url} answered {answer.status_code} to {path}: "
                f"{answer.text[:300]}"
            )
        found: dict[str, Any] = answer.json()
        return found

    def _pages(self, path: str, key: str, **params: Any) -> Iterator[dict[str, Any]]:
        token: str | None = None
        seen = 0
        while True:
            page = self._get(path, max_results=PAGE, **params,
                             **({"page_token": token} if token else {}))  # fmt: skip
            for item in page.get(key, ()):
                seen += 1
                if seen > MAX_MODELS:
                    raise InvalidInput(f"the registry holds over {MAX_MODELS} {key}")
                yield item
            token = page.get("next_page_token")
            if not token:
                return

    def _run(self, run_id: str | None) -> Run | None:
        if not run_id:
            return None
        run = self._get("runs/get", run_id=run_id).get("run", {})
        metrics = {str(m["key"]): float(m["value"]) for m in run.get("data", {}).get("metrics", ())}
        inputs = run.get("inputs", {}).get("dataset_inputs", ())
        names = tuple(sorted({str(i["dataset"]["name"]) for i in inputs if "dataset" in i}))
        return Run(run_id, metrics, _time(run.get("info", {}).get("end_time")), names)

    def _version(self, raw: dict[str, Any], aliases: dict[str, set[str]]) -> RegisteredVersion:
        version = str(raw["version"])
        return RegisteredVersion(
            version=version,
            source=str(raw.get("source") or ""),
            stage=str(raw.get("current_stage") or "None"),
            aliases=tuple(sorted(set(raw.get("aliases") or ()) | aliases.get(version, set()))),
            tags=_tags(raw.get("tags")),
            run=self._run(raw.get("run_id")),
            description=str(raw.get("description") or ""),
        )

    def registered(self) -> list[Registered]:
        out = []
        for model in self._pages("registered-models/search", "registered_models"):
            name = str(model["name"])
            quoted = name.replace("'", "\\'")
            aliases: dict[str, set[str]] = {}
            for a in model.get("aliases") or ():  # the registry keeps aliases on the model
                aliases.setdefault(str(a["version"]), set()).add(str(a["alias"]))
            versions = [self._version(v, aliases) for v in self._pages(
                "model-versions/search", "model_versions", filter=f"name='{quoted}'")]  # fmt: skip
            versions.sort(key=lambda v: int(v.version) if v.version.isdigit() else 0)
            out.append(Registered(name, str(model.get("description") or ""),
                                  _tags(model.get("tags")), tuple(versions)))  # fmt: skip
        return out

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> HttpRegistry:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
