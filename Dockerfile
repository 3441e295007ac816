# sfmock in a container: `sfmock serve` runs the migrations before it listens (see docker-compose.yml).
# Ports, certificate names and the CA export come from SFMOCK_* settings; other containers reach it as
# https://sfmock:8443 once they trust the CA exported to the /ca volume.
FROM python:3.11-slim
ARG SFMOCK_PORT=8000
ARG SFMOCK_HTTPS_PORT=8443
WORKDIR /srv/sfmock
COPY pyproject.toml setup.py MANIFEST.in README.md alembic.ini ./
COPY app ./app
COPY migrations ./migrations
COPY wsdl ./wsdl
RUN pip install --no-cache-dir . && rm -rf build
# 0.0.0.0 inside the container so that a published port reaches it; publish on 127.0.0.1 (docker run -p
# 127.0.0.1:8000:8000) or set SFMOCK_ADMIN_TOKEN, or sfmock warns at start that /_sfmock is open.
ENV SFMOCK_HOST=0.0.0.0 SFMOCK_DATA_DIR=/var/lib/sfmock SFMOCK_DATABASE_URL=sqlite:////var/lib/sfmock/sfmock.db \
    SFMOCK_PORT=${SFMOCK_PORT} SFMOCK_HTTPS_PORT=${SFMOCK_HTTPS_PORT} SFMOCK_TLS_NAMES=sfmock \
    SFMOCK_TLS_CA_EXPORT=/ca/ca.pem
WORKDIR /var/lib/sfmock
VOLUME ["/var/lib/sfmock", "/ca"]
EXPOSE ${SFMOCK_PORT} ${SFMOCK_HTTPS_PORT}
HEALTHCHECK --interval=5s --timeout=3s --start-period=20s --retries=10 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ.get('SFMOCK_PORT', '8000'), timeout=2)"]
CMD ["sfmock", "serve", "--load-demo-if-empty"]
