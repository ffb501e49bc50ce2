# Build: the SQLite driver is C, so cgo is on and the build stage has gcc.
#   docker build --build-arg VERSION=v1.0.0 --build-arg REVISION=$(git rev-parse HEAD) -t registry .
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=devel
ARG REVISION=unknown
RUN CGO_ENABLED=1 go build -trimpath -ldflags="-s -w -X main.version=${VERSION} -X main.revision=${REVISION}" -o /out/registry . && mkdir -p /out/data

# Run: a small glibc image with no shell, as a non-root user.
FROM gcr.io/distroless/base-debian12:nonroot
ARG VERSION=devel
ARG REVISION=unknown
LABEL org.opencontainers.image.title="Council Components Registry" \
      org.opencontainers.image.description="Which reusable digital components UK councils use, and where reuse is being missed" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.source="https://github.com/council-components/registry" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"
COPY --from=build /out/registry /usr/local/bin/registry
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
WORKDIR /data
ENV DATABASE_URL=/data/registry.db REGISTRY_ADDR=:8080
EXPOSE 8080
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 CMD ["/usr/local/bin/registry", "health"]
ENTRYPOINT ["/usr/local/bin/registry"]
CMD ["serve"]
