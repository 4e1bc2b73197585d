# dfopt: a Dockerfile optimizer. `make` builds build/dfopt; `make test` runs every test.

CC      ?= cc
PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
OPT     ?= -O2 -g
WARN     = -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes
PKGS     = libpcre2-8 yaml-0.1
# Recursive on purpose: pkg-config runs when a recipe runs, after deps.sh installed what is missing.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS))
CMOCKA     = $(shell pkg-config --cflags --libs cmocka)
ALL_CFLAGS = $(WARN) $(OPT) -D_GNU_SOURCE -Iinclude -Icompiler $(PKG_CFLAGS) $(SAN) $(CFLAGS)
ALL_LDFLAGS = $(SAN) $(LDFLAGS)

LIB_OBJS = \
	$(BUILD)/compiler/util.o \
	$(BUILD)/compiler/lexer.o \
	$(BUILD)/compiler/parser.o \
	$(BUILD)/compiler/json.o \
	$(BUILD)/compiler/ir.o \
	$(BUILD)/compiler/sema.o \
	$(BUILD)/compiler/expand.o \
	$(BUILD)/compiler/shell.o \
	$(BUILD)/compiler/printer.o \
	$(BUILD)/compiler/diag.o \
	$(BUILD)/compiler/diff.o \
	$(BUILD)/compiler/pipeline.o \
	$(BUILD)/compiler/api.o \
	$(BUILD)/passes/maintainer.o

DRIVER_OBJS = $(BUILD)/compiler/driver.o

TESTS = \
	$(BUILD)/tests/test_diff \
	$(BUILD)/tests/test_expand \
	$(BUILD)/tests/test_shell \
	$(BUILD)/tests/test_lexer \
	$(BUILD)/tests/test_parser \
	$(BUILD)/tests/test_json \
	$(BUILD)/tests/test_ir \
	$(BUILD)/tests/test_printer \
	$(BUILD)/tests/test_sema \
	$(BUILD)/tests/test_diag

HEADERS = include/dfopt.h compiler/internal.h compiler/kinds.h compiler/util.h \
	compiler/passes.h compiler/expand.h compiler/diff.h compiler/shell.h

# The fuzz harnesses (fuzz/), built two ways: libFuzzer targets with clang (`make fuzz` runs each
# for FUZZ_SECONDS) and plain replay programs that `make test` runs over the seeds and
# tests/fuzz-regressions/ (tests/run.sh, section fuzz).
FUZZ_HARNESSES = parse pipeline
FUZZ_SECONDS  ?= 60
FUZZ_BUILD     = build/libfuzzer
FUZZ_COMMON    = fuzz/common.c fuzz/config.c
FUZZ_REPLAY    = $(FUZZ_HARNESSES:%=$(BUILD)/fuzz-replay/fuzz_%)

.PHONY: all deps test unit check-shared asan ubsan install uninstall clean bench golden-update verify-build fuzz

all: $(BUILD)/dfopt

deps: $(BUILD)/.deps

$(BUILD)/.deps: tools/deps.sh
	@mkdir -p $(BUILD)
	@tools/deps.sh
	@touch $@

$(BUILD)/%.o: %.c $(HEADERS) | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libdfopt.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $(LIB_OBJS)

$(BUILD)/dfopt: $(DRIVER_OBJS) $(BUILD)/libdfopt.a
	$(CC) $(ALL_LDFLAGS) $(DRIVER_OBJS) $(BUILD)/libdfopt.a $(PKG_LIBS) -o $@

$(BUILD)/tests/%: tests/%.c $(BUILD)/libdfopt.a tests/testutil.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $< $(BUILD)/libdfopt.a $(PKG_LIBS) $(CMOCKA) $(ALL_LDFLAGS) -o $@

$(BUILD)/fuzz-replay/%: fuzz/%.c fuzz/replay.c $(FUZZ_COMMON) fuzz/fuzz.h $(BUILD)/libdfopt.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $< fuzz/replay.c $(FUZZ_COMMON) $(BUILD)/libdfopt.a $(PKG_LIBS) $(ALL_LDFLAGS) -o $@

$(BUILD)/fuzz/%: fuzz/%.c $(FUZZ_COMMON) fuzz/fuzz.h $(BUILD)/libdfopt.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer $< $(FUZZ_COMMON) $(BUILD)/libdfopt.a $(PKG_LIBS) $(ALL_LDFLAGS) -o $@

# libFuzzer with ASan and UBSan (clang); findings are left in $(FUZZ_BUILD)/fuzz/findings-*.
fuzz:
	$(MAKE) BUILD=$(FUZZ_BUILD) CC=clang OPT="-O1 -g" \
		SAN="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined" \
		$(FUZZ_HARNESSES:%=$(FUZZ_BUILD)/fuzz/fuzz_%)
	@fuzz/run.sh $(FUZZ_BUILD)/fuzz $(FUZZ_SECONDS) $(FUZZ_HARNESSES)

# Unit tests, then the checks over the conformance cases and corpus/ (tests/run.sh).
test: $(BUILD)/dfopt $(TESTS) $(FUZZ_REPLAY)
	@for t in $(TESTS); do echo "== $$t"; $$t || exit 1; done
	@tests/run.sh $(BUILD)/dfopt

golden-update: $(BUILD)/dfopt
	@UPDATE=1 tests/run.sh $(BUILD)/dfopt golden

asan:
	$(MAKE) BUILD=build/asan OPT="-O1 -g" SAN="-fsanitize=address -fno-omit-frame-pointer" test

ubsan:
	$(MAKE) BUILD=build/ubsan OPT="-O1 -g" SAN="-fsanitize=undefined -fno-sanitize-recover=undefined" test

# Builds original and optimized images of tests/build/<case>/ with buildah and compares them
# (needs root and Debian's mirror; a minute or two). VERIFY_CASES picks cases.
verify-build: $(BUILD)/dfopt
	@tests/build/verify.sh $(BUILD)/dfopt $(VERIFY_CASES)

bench: $(BUILD)/dfopt
	@bench/run.sh $(BUILD)/dfopt

install: $(BUILD)/dfopt
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib
	install -m 755 $(BUILD)/dfopt $(DESTDIR)$(PREFIX)/bin/dfopt
	install -m 644 include/dfopt.h $(DESTDIR)$(PREFIX)/include/dfopt.h
	install -m 644 $(BUILD)/libdfopt.a $(DESTDIR)$(PREFIX)/lib/libdfopt.a

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/dfopt $(DESTDIR)$(PREFIX)/include/dfopt.h \
		$(DESTDIR)$(PREFIX)/lib/libdfopt.a

clean:
	rm -rf build
