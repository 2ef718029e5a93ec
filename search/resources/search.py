"""``GET /api/search``: ranked hits with snippets, exact total, pagination."""

from __future__ import annotations

import falcon

from search.config import Config
from search.engine import SearchEngine
from search.params import parse_search_params
from search.serialize import result_to_dict


class SearchResource:
    """The JSON search API used by the site's search box."""

    def __init__(self, engine: SearchEngine, config: Config) -> None:
        self.engine = engine
        self.config = config

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Answer one search."""
        params = parse_search_params(lambda name: req.get_param_as_list(name) or [], self.config)
        result = self.engine.search(params)
        resp.media = result_to_dict(result)
        req.context.index_version = result.version
