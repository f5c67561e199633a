"""The few routes of Langflow's API (1.13) the export reads, with an API key, and their failures as
one line each. The standard library only: the command runs wherever the repository's Python does."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlencode

# Langflow reads the key from this header (langflow/services/auth/utils.py, API_KEY_NAME,
# accepted by get_current_user, which every route below depends on).
API_KEY_HEADER = "x-api-key"
# langflow/api/v1/projects.py, read_projects: the caller's projects (FolderListRead: id, name...).
PROJECTS = "/api/v1/projects/"
# langflow/api/v1/flows.py, read_flows: with get_all, every flow the caller owns, in full
# (FlowRead, data as stored: the owner's own flows are not scrubbed, _flow_read_for_caller);
# remove_example_flows leaves out the starter projects' folder.
FLOWS = "/api/v1/flows/"
FLOWS_QUERY = {"get_all": "true", "remove_example_flows": "true"}
TIMEOUT_SECONDS = 30.0


class ApiError(Exception):
    """A failure of the API, in one line that names the URL and what went wrong."""


def _reason(error: OSError) -> str:
    """The operating system's words: `[Errno 111] Connection refused`, `timed out`."""
    reason = error.reason if isinstance(error, urllib.error.URLError) else error
    return str(reason) or type(reason).__name__


class Client:
    def __init__(self, url: str, api_key: str, *, timeout: float = TIMEOUT_SECONDS):
        self.url = url.rstrip("/")
        self._api_key = api_key
        self._timeout = timeout

    def _get(self, path: str, params: dict[str, str] | None = None) -> Any:
        where = f"{self.url}{path}"
        request = urllib.request.Request(
            f"{where}?{urlencode(params)}" if params else where,
            headers={API_KEY_HEADER: self._api_key, "accept": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:
                kind, body = response.headers.get("content-type", "no content type"), response.read()
        except urllib.error.HTTPError as error:
            if error.code in (401, 403):
                raise ApiError(f"{self.url} refused the API key (HTTP {error.code} on GET {path})") from None
            said = error.read()[:200].decode(errors="replace")
            raise ApiError(f"GET {where}: HTTP {error.code}" + (f" {said!r}" if said else "")) from None
        except OSError as error:  # a refused connection, an unknown host, a timeout (URLError is one)
            raise ApiError(f"cannot reach {self.url}: {_reason(error)}") from None
        try:
            return json.loads(body)
        except ValueError:
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
