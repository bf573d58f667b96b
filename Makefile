# enidash — `make help` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

.PHONY: run
run: ## Run the dashboard on the embedded emulator (http://127.0.0.1:8080)
	go run .

.PHONY: test
test: browser postgres ## Run every test, browser journeys and PostgreSQL included, with the race detector (and the inventory parity at full size without it)
	go vet ./...
	ENIDASH_REQUIRE_POSTGRES=1 go test -race -count=1 ./...
	go test -count=1 -run 'TestParity' ./internal/inventory/

.PHONY: browser
browser: ## Make sure Debian's chromium and axe-core (npm) are there for the browser tests
	@scripts/ensure-chromium
	@test -f node_modules/axe-core/axe.min.js || npm ci --no-audit --no-fund --silent

.PHONY: postgres
postgres: ## Make sure Debian's postgresql is there for the store tests (they start their own server)
	@scripts/ensure-postgres

.PHONY: generate
generate: ## Regenerate templ code and the CSS (needs `npm ci` once)
	go tool templ generate
	npm run --silent vendor
	npm run --silent build:css

.PHONY: check-generated
check-generated: generate ## Fail if generated files differ from what is committed
	@git diff --exit-code -- '*_templ.go' static/css/app.css static/vendor || \
	  (echo "generated files are stale: run 'make generate' and commit" >&2; exit 1)

.PHONY: check-tidy
check-tidy: ## Fail if go.mod/go.sum are not tidy or a .templ file is not formatted
	@go mod tidy -diff || (echo "go.mod/go.sum need 'go mod tidy'" >&2; exit 1)
	@go tool templ fmt -fail views/ >/dev/null 2>&1 || \
	  (echo "templ files need 'go tool templ fmt views/':" >&2; git diff --stat -- '*.templ' >&2; exit 1)

.PHONY: bench
bench: ## Run the benchmarks
	go test -run '^$$' -bench . -benchmem ./...

SOAK_DURATION ?= 8m

.PHONY: soak
soak: ## Adversarial soak of the whole dashboard, loopback only (SOAK_DURATION=8m, plus ~2 min)
	SOAK_DURATION=$(SOAK_DURATION) go test -tags soak -run '^TestSoak$$' -count=1 -v -timeout 30m ./web/

.PHONY: fuzz
fuzz: ## Fuzz the URL filter parser for 30s
	go test -run '^$$' -fuzz FuzzParseFilter -fuzztime 30s ./internal/eni/

# Every fuzz target, as package:name. Their corpora are under each
# package's testdata/fuzz/<name>/ and run with the tests too.
FUZZTIME ?= 20s
FUZZ_TARGETS := \
	./internal/eni:FuzzParseFilter \
	./internal/eni:FuzzCreateForm \
	./internal/audit:FuzzParseFilter \
	./views:FuzzEscWritesWhatTemplWrites \
	./internal/ecsemu:FuzzGatewayRequest \
	./internal/ecsemu:FuzzSignatureV2 \
	./internal/ecsemu:FuzzSignatureV3 \
	./handlers:FuzzListENIs \
	./handlers:FuzzActionForms \
	./handlers:FuzzCreateENI \
	./handlers:FuzzModifyForms

.PHONY: fuzz-ci
fuzz-ci: ## Run every fuzz target for FUZZTIME (20s) each, one after another
	@set -e; for t in $(FUZZ_TARGETS); do \
	  pkg=$${t%%:*}; name=$${t##*:}; \
	  echo "--- fuzz $$name in $$pkg for $(FUZZTIME)"; \
	  go test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) $$pkg; \
	done
