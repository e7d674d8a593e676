# syntax=docker/dockerfile:1
# Sandbox of the national systems (national portal, payment gateway, SMTP sink), for development
# and end-to-end tests only. Build from the repository root:
#   docker build -f deploy/docker/sandbox.Dockerfile -t dvc/sandbox .

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY libs/common libs/common
COPY sandbox sandbox
# libs/common is listed so that, if the sandbox depends on dvc-common, it resolves to the local copy.
RUN pip wheel --wheel-dir /wheels ./libs/common ./sandbox

FROM python:3.11-slim AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN groupadd --system --gid 10001 dvc \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin dvc
RUN --mount=type=bind,from=build,source=/wheels,target=/wheels \
    pip install --no-index --find-links=/wheels /wheels/*.whl
RUN mkdir -p /var/lib/sandbox/mail && chown 10001:10001 /var/lib/sandbox/mail
WORKDIR /app
USER 10001:10001
EXPOSE 8090 1025
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8090/healthz', timeout=4)"]
# The CLI binds 127.0.0.1 by default; a container must listen on all interfaces.
CMD ["dvc-sandbox", "--http-host", "0.0.0.0", "--http-port", "8090", "--smtp-host", "0.0.0.0", "--smtp-port", "1025", \
     "--mail-dir", "/var/lib/sandbox/mail"]
