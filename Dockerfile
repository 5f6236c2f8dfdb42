# The foot-drop CDS service: one container = one supervisor with N worker processes.
# Build: docker build -t cdss-foot-drop .   Run: docker run -p 50051:50051 cdss-foot-drop
FROM python:3.11-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml constraints.txt README.md ./
COPY cdss ./cdss
COPY rules ./rules
RUN python -m pip wheel --no-cache-dir -c constraints.txt --wheel-dir /wheels .

FROM python:3.11-slim
RUN useradd --system --uid 10001 cdss
COPY --from=build /wheels /wheels
RUN python -m pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
WORKDIR /app
COPY rules ./rules
USER cdss
ENV CDSS_BIND=0.0.0.0 CDSS_PORT=50051 CDSS_RULES_DIR=/app/rules CDSS_GRACE_SECONDS=20
EXPOSE 50051
# The CDS Hooks / FHIR front door: -e CDSS_HTTP_PORT=8080 -p 8080:8080 (off unless set).
EXPOSE 8080
# CDSS_WORKERS defaults to the CPUs the container sees; set it to the CPU limit.
ENTRYPOINT ["python", "-m", "cdss", "serve"]
