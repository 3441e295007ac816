# sfmock in a container: `sfmock serve` runs the migrations before it listens (see docker-compose.yml).
FROM python:3.11-slim
WORKDIR /srv/sfmock
COPY pyproject.toml setup.py MANIFEST.in README.md alembic.ini ./
COPY app ./app
COPY migrations ./migrations
COPY wsdl ./wsdl
RUN pip install --no-cache-dir . && rm -rf build
ENV SFMOCK_HOST=0.0.0.0 SFMOCK_DATA_DIR=/var/lib/sfmock SFMOCK_DATABASE_URL=sqlite:////var/lib/sfmock/sfmock.db
WORKDIR /var/lib/sfmock
EXPOSE 8000 8443
CMD ["sfmock", "serve", "--load-demo-if-empty"]
