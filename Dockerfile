# The foot-drop CDS service: one container = one supervisor with N worker processes.
# Build: docker build -t cdss-foot-drop .   Run: docker run -p 50051:50051 cdss-foot-drop
FROM python:3.11-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml constraints.txt README.md ./
COPY cdss ./cdss
COPY rules ./rules
COPY scripts/build_native.py ./scripts/
RUN python -m pip wheel --no-cache-dir -c constraints.txt --wheel-dir /wheels .
# The hot path compiled with mypyc (cdss/native.py, `make native`), from these sources and for
# this interpreter: mypy and the stubs it checks them with are needed here only.
RUN python -m pip install --no-cache-dir -c constraints.txt /wheels/*.whl \
        mypy setuptools types-PyYAML types-protobuf grpc-stubs \
    && python scripts/build_native.py --into /native

FROM python:3.11-slim
RUN useradd --system --uid 10001 cdss
COPY --from=build /wheels /wheels
RUN python -m pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
# where cdss/native.py looks (sys.prefix/cdss-native); the build fails if the installed
# package is not the one the modules were compiled from (CDSS_NATIVE=1 refuses to import) or
# if a compiled module cannot be imported here (each is imported, not only mypyc's library)
COPY --from=build /native /usr/local/cdss-native
RUN CDSS_NATIVE=1 python -c "import importlib, cdss.native as n; \
[importlib.import_module(m) for m in n.HOT_MODULES]; print(n.status().describe())"
WORKDIR /app
COPY rules ./rules
USER cdss
ENV CDSS_BIND=0.0.0.0 CDSS_PORT=50051 CDSS_RULES_DIR=/app/rules CDSS_GRACE_SECONDS=20
EXPOSE 50051
# The CDS Hooks / FHIR front door: -e CDSS_HTTP_PORT=8080 -p 8080:8080 (off unless set).
EXPOSE 8080
# CDSS_WORKERS defaults to the CPUs the container sees; set it to the CPU limit.
ENTRYPOINT ["python", "-m", "cdss", "serve"]
