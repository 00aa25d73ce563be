# agentdesk — one Makefile for both programs, their tests, fuzzers and benchmarks.
# `make` builds build/agentdesk and build/agentdesk-hub. `make test`, `make demo`,
# `make bench` and `make fuzz` first run `make deps`, which installs missing Debian packages.

PREFIX  ?= /usr/local
CC      ?= cc
WERROR  ?= 1
SANITIZE ?= 0
FUZZ_SECONDS ?= 30

PKGS := libwebsockets ncursesw jansson sqlite3

ifeq ($(SANITIZE),1)
BUILD   ?= build/san
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OPT     := -O1
else
BUILD   ?= build
SANFLAGS :=
OPT     := -O2
endif

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm
# The hub's phone finder is libphonenumber (C++, no pkg-config file) behind a C shim
# (hub/assist/phone_shim.cc); whatever links libhub links these too. zlib inflates the
# gzip bodies Firehose may send (hub/endpoints/firehose.c). libev is the loop under lws
# (hub/net/server.c).
HUB_LIBS   := -lphonenumber -lstdc++ -lz -lhiredis -lssl -lcrypto -lev -Wl,--export-dynamic-symbol=ev_timer_start

WARN := -Wall -Wextra
ifeq ($(WERROR),1)
WARN += -Werror
endif

CPPFLAGS += -I. -D_GNU_SOURCE -DAGENTDESK_VERSION='"$(VERSION)"' -DAGENTDESK_PREFIX='"$(PREFIX)"'
CFLAGS   ?=
ALL_CFLAGS := -std=c11 $(WARN) $(OPT) -g $(SANFLAGS) $(PKG_CFLAGS) $(CFLAGS)
CXXFLAGS ?=
ALL_CXXFLAGS := -std=c++17 $(WARN) $(OPT) -g $(SANFLAGS) $(CXXFLAGS)
LDFLAGS  += $(SANFLAGS)

VERSION := 0.1.0

BASE_SRC    := $(wildcard base/*.c)
PROTO_SRC   := $(wildcard proto/*.c)
WIDGETS_SRC := $(wildcard widgets/*.c)
CONSOLE_SRC := $(filter-out agentdesk/main.c,$(wildcard agentdesk/*.c))
HUB_SRC     := $(filter-out hub/cli/main.c,$(wildcard hub/*/*.c)) $(wildcard hub/*/*.cc)
UNIT_SRC    := $(wildcard tests/unit/test_*.c) $(wildcard tests/screen/test_*.c)
BENCH_SRC   := $(wildcard bench/bench_*.c)
TESTLIB_SRC := $(wildcard tests/lib/*.c)
FUZZ_SRC    := $(wildcard tests/fuzz/fuzz_*.c)

obj = $(patsubst %.cc,$(BUILD)/obj/%.o,$(patsubst %.c,$(BUILD)/obj/%.o,$(1)))

LIBBASE    := $(BUILD)/libbase.a
LIBPROTO   := $(BUILD)/libproto.a
LIBWIDGETS := $(BUILD)/libwidgets.a
LIBCONSOLE := $(BUILD)/libconsole.a
LIBHUB     := $(BUILD)/libhub.a
LIBTEST    := $(BUILD)/libtest.a
ALL_LIBS   := $(LIBCONSOLE) $(LIBWIDGETS) $(LIBHUB) $(LIBTEST) $(LIBPROTO) $(LIBBASE)

UNIT_BIN  := $(patsubst tests/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
BENCH_BIN := $(patsubst bench/%.c,$(BUILD)/bench/%,$(BENCH_SRC))
FUZZ_BIN  := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(FUZZ_SRC))

.PHONY: all deps test test-run test-fresh demo bench bench-run bench-quick fuzz fuzz-run install clean tests-build
all: $(BUILD)/agentdesk $(BUILD)/agentdesk-hub

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj/%.o: %.cc
	@mkdir -p $(dir $@)
	$(CXX) $(CPPFLAGS) $(ALL_CXXFLAGS) -MMD -MP -c $< -o $@

define archive
	@mkdir -p $(dir $@)
	@rm -f $@
	$(AR) rcs $@ $^
endef

$(LIBBASE): $(call obj,$(BASE_SRC)) ; $(archive)
$(LIBPROTO): $(call obj,$(PROTO_SRC)) ; $(archive)
$(LIBWIDGETS): $(call obj,$(WIDGETS_SRC)) ; $(archive)
$(LIBCONSOLE): $(call obj,$(CONSOLE_SRC)) ; $(archive)
$(LIBHUB): $(call obj,$(HUB_SRC)) ; $(archive)
$(LIBTEST): $(call obj,$(TESTLIB_SRC)) ; $(archive)

$(BUILD)/agentdesk: $(call obj,agentdesk/main.c) $(LIBCONSOLE) $(LIBWIDGETS) $(LIBPROTO) $(LIBBASE)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/agentdesk-hub: $(call obj,hub/cli/main.c) $(LIBHUB) $(LIBPROTO) $(LIBBASE)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(HUB_LIBS)

$(BUILD)/tests/%: tests/%.c $(ALL_LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -o $@ $< $(ALL_LIBS) $(PKG_LIBS) $(HUB_LIBS) $(LDFLAGS)

$(BUILD)/bench/%: bench/%.c $(ALL_LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -o $@ $< $(ALL_LIBS) $(PKG_LIBS) $(HUB_LIBS) $(LDFLAGS)

tests-build: all $(UNIT_BIN) $(BENCH_BIN)

deps:
	@scripts/deps.sh

# The test command the README gives: installs what is missing, builds, runs all three layers.
test: deps
	@$(MAKE) --no-print-directory test-run

# The include arrows first (docs/ARCHITECTURE.md's layers table): a file that includes from a
# folder it may not fails the run before any test does.
test-run: tests-build
	@sh scripts/check-layers.sh
	@BUILD=$(BUILD) SANITIZE=$(SANITIZE) tests/run.sh

# The two commands on a really fresh machine: `make test` inside a minimal Debian 12 root built
# by debootstrap (cached under build/fresh), on a clean clone of HEAD. Needs root or sudo.
test-fresh:
	@scripts/test-fresh.sh

demo: deps
	@$(MAKE) --no-print-directory all
	@echo "agentdesk demo: you are the agent Ana Ruiz. To watch the floor as the supervisor, run"
	@echo "    $(BUILD)/agentdesk monitor --demo"
	@echo "in a second terminal here: it joins this demo hub. Starting in 3 s..."
	@sleep 3
	$(BUILD)/agentdesk --demo

# `make bench`: every benchmark, then one table of figures beside their goals or ceilings
# (bench/run.sh; under 15 minutes). Chromium, the reference beside the console's memory, is
# tried as an optional package. `make bench-quick`: shorter phases, for development.
bench:
	@OPTIONAL_PKGS=chromium scripts/deps.sh
	@$(MAKE) --no-print-directory bench-run

bench-run: tests-build
	@BUILD=$(BUILD) bench/run.sh

bench-quick: tests-build
	@BUILD=$(BUILD) BENCH_QUICK=1 bench/run.sh

# libFuzzer targets: clang, address + undefined sanitizers, seed corpus in tests/fuzz/corpus/NAME/.
# Library objects are built with the fuzz instrumentation into their own archives, so a target
# links only the objects it references.
FUZZ_CC := clang
FUZZ_CXX := clang++
FUZZ_BASE := -std=c11 -g -O1 -I. -D_GNU_SOURCE -DAGENTDESK_VERSION='"$(VERSION)"' -DAGENTDESK_PREFIX='"$(PREFIX)"' $(PKG_CFLAGS)
FUZZ_LIBFLAGS := $(FUZZ_BASE) -fsanitize=fuzzer-no-link,address,undefined
FUZZ_CFLAGS := $(FUZZ_BASE) -fsanitize=fuzzer,address,undefined
fuzzobj = $(patsubst %.cc,build/fuzz/obj/%.o,$(patsubst %.c,build/fuzz/obj/%.o,$(1)))

build/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_LIBFLAGS) -MMD -MP -c $< -o $@

# The C++ shim without UBSan's vptr check: its runtime comes only with a C++ link, and the
# fuzz targets link as C.
build/fuzz/obj/%.o: %.cc
	@mkdir -p $(dir $@)
	$(FUZZ_CXX) $(subst -std=c11,-std=c++17,$(FUZZ_LIBFLAGS)) -fno-sanitize=vptr -MMD -MP -c $< -o $@

build/fuzz/libproto.a: $(call fuzzobj,$(PROTO_SRC)) ; $(archive)
build/fuzz/libbase.a: $(call fuzzobj,$(BASE_SRC)) ; $(archive)
build/fuzz/libhub.a: $(call fuzzobj,$(HUB_SRC)) ; $(archive)

build/fuzz/%: tests/fuzz/%.c build/fuzz/libhub.a build/fuzz/libproto.a build/fuzz/libbase.a
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $< build/fuzz/libhub.a build/fuzz/libproto.a build/fuzz/libbase.a $(PKG_LIBS) $(HUB_LIBS)

# the recording reader and the replay's timeline are console code with no curses: linked in
FUZZ_REPLAY_SRC := agentdesk/recording.c agentdesk/replay_timeline.c agentdesk/model_copy.c \
                   agentdesk/model.c agentdesk/model_apply.c agentdesk/model_metrics.c
build/fuzz/fuzz_recording: tests/fuzz/fuzz_recording.c $(call fuzzobj,$(FUZZ_REPLAY_SRC)) build/fuzz/libproto.a build/fuzz/libbase.a
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $< $(call fuzzobj,$(FUZZ_REPLAY_SRC)) build/fuzz/libproto.a build/fuzz/libbase.a $(PKG_LIBS)

fuzz: deps
	@$(MAKE) --no-print-directory fuzz-run

fuzz-run: $(FUZZ_BIN)
	@FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run.sh $(FUZZ_BIN)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	           $(DESTDIR)$(PREFIX)/share/agentdesk/themes $(DESTDIR)$(PREFIX)/share/agentdesk/data
	install -m 755 $(BUILD)/agentdesk $(BUILD)/agentdesk-hub $(DESTDIR)$(PREFIX)/bin/
	install -m 644 docs/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 themes/*.theme $(DESTDIR)$(PREFIX)/share/agentdesk/themes/
	cp -R data/. $(DESTDIR)$(PREFIX)/share/agentdesk/data/

clean:
	rm -rf build

-include $(shell find $(BUILD) build/fuzz -name fresh -prune -o -name '*.d' -type f -print 2>/dev/null)
