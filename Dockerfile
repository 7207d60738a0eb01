# Gatehouse in a container: docs/deploy.md explains each choice and the production checklist.
#
#   docker build -t gatehouse .
#   docker run -d -p 8000:8000 -v gatehouse-data:/data \
#     -e GATEHOUSE_SECRET_KEY=... -e GATEHOUSE_ALLOWED_HOSTS=auth.example.com gatehouse
#
# Build stage: the release binary, with Swift's runtime linked in statically, so the run stage needs
# no Swift toolchain.
FROM swift:6.3-noble AS build
RUN apt-get update && apt-get install -y --no-install-recommends zlib1g-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependencies first: this layer is rebuilt only when the manifest changes.
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
RUN swift build -c release --static-swift-stdlib --product gatehouse \
    && mkdir -p /staging \
    && cp "$(swift build -c release --show-bin-path)/gatehouse" /staging/ \
    && cp -R "$(swift build -c release --show-bin-path)/Gatehouse_Gatehouse.resources" /staging/

# Run stage: a slim system, the binary and its resource bundle side by side, a user without a login.
FROM ubuntu:noble
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates tzdata zlib1g \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin gatehouse \
    && mkdir -p /data && chown gatehouse:gatehouse /data && chmod 0700 /data
COPY --from=build /staging/ /usr/local/bin/
# The database (and, without GATEHOUSE_SECRET_KEY, the generated key file beside it) live here.
VOLUME ["/data"]
WORKDIR /data
ENV GATEHOUSE_DATABASE_URL=sqlite:////data/gatehouse.sqlite3 \
    GATEHOUSE_LOG_FORMAT=json
USER gatehouse:gatehouse
EXPOSE 8000
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/gatehouse"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
