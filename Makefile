# Debrief — the two commands a newcomer needs are `make run` and `make test`.
# Everything builds with CGO_ENABLED=0: the embedded SQLite is pure Go.

GO          ?= go
NPM         ?= npm
BIN         := bin/debrief
TOOLS       := $(CURDIR)/bin/tools
GOLANGCI    := $(TOOLS)/golangci-lint
GOLANGCI_VERSION := v2.15.0
VERSION     ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS     := -s -w -X main.version=$(VERSION)
export CGO_ENABLED := 0
# npm packages may ship Go files (e.g. flatted); they are not ours to build.
PKGS         = $(shell $(GO) list ./... | grep -v /node_modules/)

.PHONY: all run build web go-build test test-go test-web test-ics test-e2e lint fmt clean tools demo

all: build

## run: build everything and start the service on the embedded SQLite defaults
run: build
	./$(BIN) serve

## demo: load the demo organization into the default database
demo: build
	./$(BIN) demo

## build: the web app, then the Go binary that embeds it
build: web go-build

frontend/node_modules/.package-lock.json: frontend/package-lock.json
	cd frontend && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(NPM) ci --no-audit --no-fund
	@touch $@

web: frontend/node_modules/.package-lock.json
	cd frontend && $(NPM) run build

go-build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/debrief

## test: everything CI checks — lint, type checks, unit, storage (SQLite and PostgreSQL), HTTP and browser tests
test: lint test-web test-ics build test-go test-e2e

test-go:
	$(GO) test -count=1 -timeout 15m $(PKGS)

test-web: frontend/node_modules/.package-lock.json
	cd frontend && $(NPM) run check

# Invitations and feeds written by the Go code, read back by a real iCalendar
# parser (ical.js): the samples travel through a temporary directory.
test-ics: frontend/node_modules/.package-lock.json
	dir=$$(mktemp -d) && DEBRIEF_ICS_SAMPLES_DIR=$$dir $(GO) test -count=1 -run TestExportSamples ./internal/calendar/builtin && (cd frontend && DEBRIEF_ICS_SAMPLES_DIR=$$dir $(NPM) run test:ics); rc=$$?; rm -rf $$dir; exit $$rc

test-e2e: build
	cd frontend && DEBRIEF_BIN=$(CURDIR)/$(BIN) $(NPM) run test:e2e

## lint: go vet, golangci-lint (with the depguard layering rules) and gofmt
lint: $(GOLANGCI)
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet $(PKGS)
	$(GOLANGCI) run $(patsubst github.com/debrief-dev/debrief/%,./%,$(PKGS))

$(GOLANGCI):
	GOBIN=$(TOOLS) $(GO) install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_VERSION)

tools: $(GOLANGCI)

## fmt: format Go and TypeScript sources
fmt:
	gofmt -w $$(git ls-files '*.go')
	cd frontend && $(NPM) run lint -- --fix

clean:
	rm -rf bin frontend/dist/assets frontend/dist/index.html
