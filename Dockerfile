# Build: the SQLite driver is C, so cgo is on and the build stage has gcc.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=1 go build -trimpath -ldflags="-s -w" -o /out/registry . && mkdir -p /out/data

# Run: a small glibc image with no shell, as a non-root user.
FROM gcr.io/distroless/base-debian12:nonroot
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
