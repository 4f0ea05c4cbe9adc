# cytoskel: build, test and demo entry points. Every target installs what is
# missing first, so a fresh Debian 12 clone needs nothing else.
MAKEFLAGS += --no-print-directory
JOBS ?= $(shell nproc)
BUILD ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
# Each libFuzzer target runs FUZZ_SECONDS, FUZZ_JOBS at a time: 8 targets,
# 60 s, 2 at a time is 4 minutes of the CI budget.
FUZZ_SECONDS ?= 60
FUZZ_JOBS ?= 2
CMAKE_FLAGS ?=

.PHONY: all deps build test unit e2e sanitize fuzz format format-check \
        demo bench clean

all: build

deps:
	@scripts/install-deps.sh

$(BUILD)/build.ninja $(BUILD)/Makefile: | deps
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null

build: deps $(BUILD)/Makefile
	@cmake --build $(BUILD) -j $(JOBS)

# Everything CI checks: formatting, the strict build, the unit tests, the
# end-to-end suites on the local emulator, the unit tests again under
# AddressSanitizer + UBSan, and every libFuzzer target for FUZZ_SECONDS.
test: build format-check sanitize
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	@$(MAKE) fuzz

unit: build
	@$(BUILD)/cytoskel_tests

e2e: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -R '^(e2e|emulator)\.'

sanitize: deps
	@cmake -S . -B $(ASAN_BUILD) -DCYTOSKEL_SANITIZE=ON \
	  -DCMAKE_BUILD_TYPE=Debug >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS) --target cytoskel_tests
	@$(ASAN_BUILD)/cytoskel_tests --gtest_brief=1

FORMAT_FILES = $(shell git ls-files '*.cc' '*.h')
format: deps
	@clang-format -i $(FORMAT_FILES)

format-check: deps
	@clang-format --dry-run --Werror $(FORMAT_FILES)

demo: build
	@scripts/demo.sh $(BUILD)/cytoskel

# The benchmark suite (bench/run.py; about 12 minutes): cytoskel against
# the AWS CLI, boto3 and curl on the local emulator, plus the Google
# Benchmark micro-benchmarks. Extra options: make bench BENCH_ARGS=--quick
bench: build
	@cmake --build $(BUILD) -j $(JOBS) --target cytoskel_bench
	@bench/run.sh $(BUILD)/cytoskel --micro $(BUILD)/cytoskel_bench \
	  $(BENCH_ARGS)

# The libFuzzer targets of fuzz/ (clang, ASan + UBSan) on their seed
# corpora; a finding fails the build (see fuzz/README.md).
fuzz: deps
	@FUZZ_BUILD=$(FUZZ_BUILD) FUZZ_SECONDS=$(FUZZ_SECONDS) \
	  FUZZ_JOBS=$(FUZZ_JOBS) BUILD_JOBS=$(JOBS) fuzz/run.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
