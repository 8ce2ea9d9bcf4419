# wenyin — plain Makefile, dependencies by pkg-config.
#   make            build build/wenyin
#   make demo       render every sample into out/
#   make check      unit tests + end-to-end tests (with -Werror)
#   make sanitize   the same tests under AddressSanitizer and UBSan
#   make bench      benchmarks (not tests)
#   make deps       install the Debian packages the build and tests need

VERSION  := 0.1.0
PREFIX   ?= /usr/local
BUILD    ?= build
CC       ?= cc
PYTHON   ?= /usr/bin/python3
GEN      := $(BUILD)/gen
# Inputs of the stroke table (Debian's unicode-data and rime-data-stroke).
UNIHAN_IRG  ?= /usr/share/unicode/Unihan_IRGSources.txt.bz2
RIME_STROKE ?= /usr/share/rime-data/stroke.dict.yaml

PKGS     := libxml-2.0 pangocairo pangoft2 pango cairo cairo-pdf cairo-svg cairo-png fontconfig \
            harfbuzz libcmark icu-uc icu-i18n libjpeg zlib
WARN     := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
            -Wwrite-strings -Wformat=2 -Wvla -Werror
CFLAGS   ?= -O2 -g
ALL_CFLAGS  = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -Isrc -I$(GEN) \
              -DWY_VERSION='"$(VERSION)"' -DWY_DATADIR='"$(PREFIX)/share/wenyin"' \
              $(shell pkg-config --cflags $(PKGS) 2>/dev/null) -MMD -MP
LIBS     = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lhyphen -lm

SRC      := $(shell find src -name '*.c' ! -name main.c | sort)
OBJ      := $(SRC:%.c=$(BUILD)/%.o)
MAIN_OBJ := $(BUILD)/src/main.o
LIB      := $(BUILD)/libwenyin.a
BIN      := $(BUILD)/wenyin

UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all demo check unit e2e sanitize bench deps install clean fuzz fuzz-targets

all: $(BIN)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo '  CC      $<'
	@$(CC) $(ALL_CFLAGS) -c $< -o $@

# The stroke table of names.c (姓氏笔画), generated, never typed by hand.
# Order-only so the first parallel build makes it before compiling names.c;
# afterwards names.d makes names.o follow it.
$(GEN)/strokes.h: tools/gen-strokes.py $(UNIHAN_IRG) $(RIME_STROKE)
	@mkdir -p $(dir $@)
	@echo '  GEN     $@'
	@$(PYTHON) tools/gen-strokes.py $(UNIHAN_IRG) $(RIME_STROKE) $@

$(BUILD)/src/expand/names.o: | $(GEN)/strokes.h

$(UNIHAN_IRG) $(RIME_STROKE):
	@echo "missing $@: run 'make deps' (packages unicode-data, rime-data-stroke)" >&2; exit 1

$(LIB): $(OBJ)
	@rm -f $@
	@ar rcsP $@ $(OBJ)

$(BIN): $(MAIN_OBJ) $(LIB)
	@echo '  LD      $@'
	@$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(MAIN_OBJ) $(LIB) $(LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIB)
	@mkdir -p $(dir $@)
	@echo '  TEST    $<'
	@$(CC) $(ALL_CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< $(LIB) $(LIBS) -lcmocka

deps:
	@bash tools/deps.sh

demo: deps
	@$(MAKE) --no-print-directory all
	@bash tools/demo.sh $(BIN)

unit: $(UNIT_BIN)
	@bash tests/run-unit.sh $(UNIT_BIN)

e2e: $(BIN)
	@bash tests/e2e/run.sh $(BIN)

check: deps
	@$(MAKE) --no-print-directory all unit e2e

sanitize: deps
	@$(MAKE) --no-print-directory BUILD=build-asan \
	  CFLAGS='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined' \
	  LDFLAGS='-fsanitize=address,undefined' all
	@ASAN_OPTIONS=detect_leaks=0 WY_SKIP_VALGRIND=1 $(MAKE) --no-print-directory BUILD=build-asan \
	  CFLAGS='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined' \
	  LDFLAGS='-fsanitize=address,undefined' unit e2e

bench: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory -C bench BIN=$(abspath $(BIN))

# libFuzzer targets (clang): build with `make fuzz`, run with tests/fuzz/run.sh [SECONDS]
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
fuzz:
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang \
	  CFLAGS='-O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer' fuzz-targets

fuzz-targets: $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)

$(BUILD)/fuzz/%: tests/fuzz/%.c $(LIB)
	@mkdir -p $(dir $@)
	@echo '  FUZZ    $<'
	@$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $< $(LIB) $(LIBS)

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/wenyin
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/wenyin
	cp -r templates fonts $(DESTDIR)$(PREFIX)/share/wenyin/

clean:
	rm -rf build build-asan build-fuzz build-clang out

-include $(OBJ:.o=.d) $(MAIN_OBJ:.o=.d)
