# sfmock in a container: migrations run before the server starts (see docker-compose.yml).
FROM python:3.11-slim
WORKDIR /srv/sfmock
COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY migrations ./migrations
COPY wsdl ./wsdl
RUN pip install --no-cache-dir -e .
ENV SFMOCK_HOST=0.0.0.0 SFMOCK_DATA_DIR=/srv/sfmock/var
EXPOSE 8000 8443
CMD ["sfmock", "serve", "--load-demo-if-empty"]
