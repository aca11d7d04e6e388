# GIDS: two commands. `make run` sets up, builds and serves the demo; `make test` runs every suite.
SHELL := /bin/bash
JOBS ?= $(shell nproc)
DB ?= sqlite:var/gids.db
LISTEN ?= 127.0.0.1:8080

.PHONY: run test setup setup-test build build-test format format-check unit http e2e fuzz bench clean

run: setup build
	@mkdir -p var
	@./build/release/gids migrate --db $(DB) >/dev/null
	@./build/release/gids demo --db $(DB)
	@echo "Open http://$(LISTEN) in uw browser. Stoppen: Ctrl+C."
	./build/release/gids serve --db $(DB) --listen $(LISTEN)

setup:
	@./scripts/setup.sh

setup-test:
	@GIDS_WITH_TEST_TOOLS=1 ./scripts/setup.sh

build:
	@cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DGIDS_TESTS=OFF >/dev/null
	@cmake --build build/release -j $(JOBS)

# Tests run on a build with AddressSanitizer and UndefinedBehaviorSanitizer.
build-test:
	@cmake -S . -B build/test -DCMAKE_BUILD_TYPE=Debug -DGIDS_SANITIZE=ON -DGIDS_TESTS=ON >/dev/null
	@cmake --build build/test -j $(JOBS)

test: setup-test format-check build-test
	@./tests/run_all.sh

format:
	@clang-format -i $$(git ls-files 'src/*.cpp' 'src/*.hpp' 'tests/*.cpp' 'tests/*.hpp')

format-check:
	@clang-format --dry-run --Werror $$(git ls-files 'src/*.cpp' 'src/*.hpp' 'tests/*.cpp' 'tests/*.hpp') \
	  || { echo "Opmaak wijkt af van .clang-format: draai 'make format'."; exit 1; }

fuzz: build-test
	@./tests/fuzz/run.sh 60

bench: setup-test build
	@./bench/run.sh

clean:
	rm -rf build
