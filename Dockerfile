# sfmock in a container: `sfmock serve` runs the migrations before it listens (see docker-compose.yml).
FROM python:3.11-slim
WORKDIR /srv/sfmock
COPY pyproject.toml setup.py MANIFEST.in README.md alembic.ini ./
COPY app ./app
COPY migrations ./migrations
COPY wsdl ./wsdl
RUN pip install --no-cache-dir . && rm -rf build
# 0.0.0.0 inside the container so that a published port reaches it; publish on 127.0.0.1 (docker run -p
# 127.0.0.1:8000:8000) or set SFMOCK_ADMIN_TOKEN, or sfmock warns at start that /_sfmock is open.
ENV SFMOCK_HOST=0.0.0.0 SFMOCK_DATA_DIR=/var/lib/sfmock SFMOCK_DATABASE_URL=sqlite:////var/lib/sfmock/sfmock.db
WORKDIR /var/lib/sfmock
EXPOSE 8000 8443
CMD ["sfmock", "serve", "--load-demo-if-empty"]
