# scoreflow's worker for the production topology in docker-compose.yaml.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# modernc's SQLite is pure Go, so the binary needs no C library at run time.
# -tags nodemo leaves out the demo and the simulators it runs on.
RUN CGO_ENABLED=0 go build -trimpath -tags nodemo -o /out/worker ./worker && \
    CGO_ENABLED=0 go build -trimpath -tags nodemo -o /out/starter ./starter

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/* && \
    useradd --system --uid 10001 scoreflow
COPY --from=build /out/worker /out/starter /usr/local/bin/
USER scoreflow
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/worker"]
CMD ["--config", "/etc/scoreflow/scoreflow.yaml"]
