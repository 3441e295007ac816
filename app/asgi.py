"""The ASGI application object for uvicorn (settings from the environment), with the process's logging
set up."""

import threading

from sfmock.logs import configure
from sfmock.main import create_app
from sfmock.settings import get_settings
from sfmock.soql import parser as soql_parser

configure(get_settings().log_level, get_settings().log_format)
app = create_app()
# The server runs Bulk jobs in the background, including those left unfinished by a previous run.
app.state.bulk_worker.start()
# The SOQL/SOSL parser takes a second or more to build (lark's LALR tables): build it in the background now,
# so the server answers at once and a client's first query does not pay for it (a loaded CI machine stretched
# it past a client's 5 s timeout).
threading.Thread(target=soql_parser.warm, name="sfmock-soql-warmup", daemon=True).start()
