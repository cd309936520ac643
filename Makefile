# The project's entry points. `make test` is the README's test command and
# the one .ci/run calls; it must stay the strongest check we have.
GO ?= go
FUZZTIME ?= 5s
BENCHTIME ?= 1s

.PHONY: all test deps vet unit race bench fuzz-short lint build mutate

all: build

build:
	$(GO) build ./...

# Install the Debian programs the tests drive (only when missing), then vet,
# run every test, and run the packages that use concurrency again under the
# race detector.
test: deps vet unit race

deps:
	@scripts/test-deps

vet:
	$(GO) vet ./...

unit:
	$(GO) test -count=1 ./...

race:
	@pkgs="$$(scripts/race-packages)"; \
	if [ -n "$$pkgs" ]; then \
		echo "$(GO) test -race -count=1 $$pkgs"; \
		$(GO) test -race -count=1 $$pkgs; \
	else \
		echo "race: no package uses concurrency yet"; \
	fi

bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) ./...

# Every fuzz target, each for FUZZTIME; seeds under testdata/fuzz run in
# `make test` already.
fuzz-short:
	@FUZZTIME=$(FUZZTIME) scripts/fuzz-short

lint:
	@bad="$$(gofmt -l $$(git ls-files '*.go'))"; \
	if [ -n "$$bad" ]; then echo "gofmt would change:"; echo "$$bad"; exit 1; fi
	$(GO) vet ./...

# Mutation testing (gremlins, pinned in scripts/mutate) over kms, syncobj,
# modifiers and protocol, each package held to its efficacy floor in
# scripts/mutate-floors, then the hand-written mutants of
# scripts/mutate-listed. Hours on two cores, so not part of `make test`;
# `make mutate PKGS="kms/device"` runs chosen packages.
mutate:
	@scripts/mutate $(PKGS)
