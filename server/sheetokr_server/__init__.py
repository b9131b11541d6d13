"""The sheetokr server: every team's workbook in, one organisation overview out.

`create_app(test_config=None)` builds the Flask app: settings in layers (config), the database
(db), the scoring caches (scoring), JSON errors (errors), tokens and the session login (auth) and
the API (api). The dashboard registers its own blueprint on this app.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask

from sheetokr_server import api, auth, dashboard, db, errors
from sheetokr_server.config import flask_config
from sheetokr_server.scoring import Scorer


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """A configured app: defaults, then SHEETOKR_* environment, then `test_config`."""
    app = Flask(__name__)
    app.config.from_mapping(flask_config(os.environ, test_config))
    app.json.sort_keys = False  # type: ignore[attr-defined]
    db.init_app(app)
    errors.init_app(app)
    app.extensions["sheetokr_scorer"] = Scorer(app.config["SHEETOKR_TIMEZONE"])
    app.register_blueprint(auth.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(api.files)
    app.register_blueprint(dashboard.bp)
    return app
