# syntax=docker/dockerfile:1
#
# Candor as a container: a static Go binary (CGO_ENABLED=0) on a distroless
# base that holds CA certificates and a non-root user, nothing else: no shell,
# no curl. `candor healthcheck` is the HEALTHCHECK.
#
#   docker build --build-arg VERSION=$(git describe --always) -t candor .
#   docker run --rm -p 8080:8080 -e CANDOR_API_KEYS=acme:$(openssl rand -hex 16) candor
#   docker run --rm -i candor analyze --guide cx-empathy - < interview.vtt
#
# The image listens on 0.0.0.0:8080 (CANDOR_ADDR), so `candor serve` refuses
# to start without API keys (CANDOR_API_KEYS or CANDOR_API_KEYS_FILE).
# docker-compose.yml runs the API, workers and Redis together.

ARG GO_VERSION=1.26

FROM golang:${GO_VERSION}-bookworm AS build
WORKDIR /src
# Modules first, so that a source change does not download them again.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG VERSION=dev
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" \
        -o /out/candor ./cmd/candor

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/candor /usr/local/bin/candor
# distroless's "nonroot" user, by number so that runAsNonRoot can verify it.
USER 65532:65532
ENV CANDOR_ADDR=0.0.0.0:8080
EXPOSE 8080
# /healthz on the port of CANDOR_ADDR: a worker started with CANDOR_ADDR
# set is checked on its own port the same way.
HEALTHCHECK --interval=10s --timeout=5s --start-period=10s --retries=3 \
    CMD ["/usr/local/bin/candor", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/candor"]
CMD ["serve"]
