"""The ASGI application object for uvicorn (settings from the environment)."""
from app.main import create_app

app = create_app()
# The server runs Bulk jobs in the background, including those left unfinished by a previous run.
app.state.bulk_worker.start()
