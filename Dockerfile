# Multi-stage build: the web app with Node, the binary with Go (no cgo),
# then a small runtime image that holds only the binary.
FROM node:20-bookworm-slim AS web
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
COPY api/openapi.yaml /src/api/openapi.yaml
COPY frontend/ ./
RUN npm run build

FROM golang:1.26-bookworm AS go
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=web /src/frontend/dist ./frontend/dist
RUN CGO_ENABLED=0 go build -trimpath -ldflags '-s -w' -o /out/debrief ./cmd/debrief

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=go /out/debrief /debrief
ENV DEBRIEF_ADDR=0.0.0.0:8080 DEBRIEF_DATA_DIR=/data
VOLUME /data
EXPOSE 8080
ENTRYPOINT ["/debrief"]
CMD ["serve"]
