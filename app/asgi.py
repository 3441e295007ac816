"""The ASGI application object for uvicorn (settings from the environment), with the process's logging set
up."""
from sfmock.logs import configure
from sfmock.main import create_app
from sfmock.settings import get_settings

configure(get_settings().log_level, get_settings().log_format)
app = create_app()
# The server runs Bulk jobs in the background, including those left unfinished by a previous run.
app.state.bulk_worker.start()
