"""The few routes of Langflow's API (1.13) the export reads, with an API key, and their failures as
one line each."""

from __future__ import annotations

import re
from typing import Any

import requests

# Langflow reads the key from this header (langflow/services/auth/utils.py, API_KEY_NAME,
# accepted by get_current_user, which every route below depends on).
API_KEY_HEADER = "x-api-key"
# langflow/api/v1/projects.py, read_projects: the caller's projects (FolderListRead: id, name...).
PROJECTS = "/api/v1/projects/"
# langflow/api/v1/flows.py, read_flows: with get_all, every flow the caller owns, in full
# (FlowRead, data as stored: the owner's own flows are not scrubbed, _flow_read_for_caller);
# remove_example_flows leaves out the starter projects' folder.
FLOWS = "/api/v1/flows/"
FLOWS_QUERY = {"get_all": "true", "remove_example_flows": "true", "header_flows": "false"}
TIMEOUT_SECONDS = 30.0


class ApiError(Exception):
    """A failure of the API, in one line that names the URL and what went wrong."""


def _reason(error: requests.RequestException) -> str:
    """The operating system's words from a connection error (requests nests them deeply)."""
    found = re.findall(r"\[Errno -?\d+\] [^'\")]+", str(error))
    if found:
        return found[-1].strip()
    return "timed out" if isinstance(error, requests.Timeout) else type(error).__name__


class Client:
    def __init__(self, url: str, api_key: str, *, timeout: float = TIMEOUT_SECONDS):
        self.url = url.rstrip("/")
        self._session = requests.Session()
        self._session.headers[API_KEY_HEADER] = api_key
        self._timeout = timeout

    def _get(self, path: str, params: dict[str, str] | None = None) -> Any:
        where = f"{self.url}{path}"
        try:
            response = self._session.get(where, params=params, timeout=self._timeout)
        except requests.RequestException as error:
            raise ApiError(f"cannot reach {self.url}: {_reason(error)}") from None
        if response.status_code in (401, 403):
            raise ApiError(f"{self.url} refused the API key (HTTP {response.status_code} on GET {path})")
        if response.status_code != 200:
            raise ApiError(f"GET {where}: HTTP {response.status_code} {response.text[:200]!r}")
        try:
            return response.json()
        except ValueError:
            kind = response.headers.get("content-type", "no content type")
            raise ApiError(f"GET {where} did not answer with JSON ({kind}): is {self.url} a Langflow?") from None

    def projects(self) -> list[dict[str, Any]]:
        return self._listing(PROJECTS)

    def flows(self) -> list[dict[str, Any]]:
        return self._listing(FLOWS, FLOWS_QUERY)

    def _listing(self, path: str, params: dict[str, str] | None = None) -> list[dict[str, Any]]:
        found = self._get(path, params)
        if not isinstance(found, list) or not all(isinstance(item, dict) for item in found):
            raise ApiError(f"GET {self.url}{path} did not answer with a list of objects: is {self.url} a Langflow 1.13?")
        return found
