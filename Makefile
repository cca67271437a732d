# tpp - build, test, lint, install.
#
#   make            build the C module for Lua 5.4 and for the 5.1 ABI (Lua 5.1 + LuaJIT)
#   make chips      the main job: the chip table (installs Debian packages first when root)
#   make test       C tests, busted specs on lua5.1, lua5.4, luajit (C API and FFI), ASan/UBSan
#   make lint       luacheck and cppcheck
#   make fuzz       a short libFuzzer run of every spec/fuzz/fuzz_*.c target (FUZZ_TIME s each)
#   make install    modules (Lua 5.4 and the 5.1 ABI), bin/tpp, man page and shell
#                   completion under PREFIX (or use: luarocks make)
#   make env        print the exports that make `require "tpp"` work from this checkout:
#                   eval "$$(make -s env)"
#   make man        build/man/tpp.1 (and the bash/zsh completion scripts)
#   make dist       build/tpp-VERSION.tar.gz, the source of rockspec/tpp-VERSION-1.rockspec
#
# Variables follow LuaRocks' names so a packager can override them.

CC        ?= cc
PREFIX    ?= /usr/local
LUA       ?= lua5.4
LUA54_INCDIR ?= /usr/include/lua5.4
LUA51_INCDIR ?= /usr/include/lua5.1
OPENBLAS_INCDIR ?= $(shell pkg-config --variable=includedir openblas 2>/dev/null || echo /usr/include/x86_64-linux-gnu/openblas-pthread)
OPENBLAS_LIBDIR ?= $(shell pkg-config --variable=libdir openblas 2>/dev/null || echo /usr/lib/x86_64-linux-gnu)
LUADIR    ?= $(PREFIX)/share/lua/5.4
LIBDIR    ?= $(PREFIX)/lib/lua/5.4
LUADIR51  ?= $(PREFIX)/share/lua/5.1
LIBDIR51  ?= $(PREFIX)/lib/lua/5.1
BINDIR    ?= $(PREFIX)/bin
MANDIR    ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions
# The one version definition: include/tpp.h.
VERSION   := $(shell sed -n 's/.*TPP_VERSION_MAJOR = \([0-9]*\).*/\1/p;s/.*TPP_VERSION_MINOR = \([0-9]*\).*/\1/p;s/.*TPP_VERSION_PATCH = \([0-9]*\).*/\1/p' include/tpp.h | paste -sd.)

WARN      = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wpointer-arith -Wcast-align -Wwrite-strings -Wno-unused-parameter
CFLAGS    ?= -O2 -g
ALLCFLAGS = $(CFLAGS) -std=c99 -fPIC -pthread $(WARN) -Iinclude -Icsrc -I$(OPENBLAS_INCDIR)
LIBFLAG   ?= -shared
LDLIBS    = -L$(OPENBLAS_LIBDIR) -lopenblas -lpthread -ldl -lm

# Every core and glue source; the rockspec lists the same files (a spec checks).
CORE_SRC  = $(sort $(wildcard csrc/*.c) $(wildcard csrc/kernels/*.c))
GLUE_SRC  = $(sort $(wildcard csrc/lua/*.c))
HEADERS   = include/tpp.h $(wildcard csrc/*.h) $(wildcard csrc/kernels/*.h) $(wildcard csrc/lua/*.h)

# Debian packages: needed to build and test / optional extras.
DEB_NEED  = gcc make pkg-config lua5.1 liblua5.1-0-dev lua5.4 liblua5.4-dev luajit \
            libluajit-5.1-dev libopenblas-dev lua-busted lua-check luarocks cppcheck chromium
DEB_EXTRA = lua-readline librsvg2-bin clang libclang-rt-14-dev man-db zsh python3-numpy
DEB_MISSING = $(shell for p in $(DEB_NEED); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done)

.PHONY: all deps chips test test-c test-asan test-busted lint fuzz install clean cdef rockspec env man dist

all: deps build/5.4/tpp/core.so build/5.1/tpp/core.so lua/tpp/cdef.lua

# Install what is missing when root; otherwise say exactly what to run.
deps:
	@if [ -n "$(strip $(DEB_MISSING))" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "tpp: installing Debian packages: $(strip $(DEB_MISSING)) $(DEB_EXTRA)"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get update -qq && apt-get install -y -qq --no-install-recommends $(DEB_MISSING) >/dev/null && \
	    (apt-get install -y -qq --no-install-recommends $(DEB_EXTRA) >/dev/null || \
	     echo "tpp: optional packages not installed: $(DEB_EXTRA)"); \
	  else \
	    echo "tpp: missing Debian packages. Run:"; \
	    echo "  sudo apt-get update && sudo apt-get install -y $(DEB_MISSING) $(DEB_EXTRA)"; \
	    exit 1; \
	  fi; \
	fi

build/5.4/tpp/core.so: $(CORE_SRC) $(GLUE_SRC) $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) -I$(LUA54_INCDIR) $(LIBFLAG) -o $@ $(CORE_SRC) $(GLUE_SRC) $(LDLIBS)

build/5.1/tpp/core.so: $(CORE_SRC) $(GLUE_SRC) $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) -I$(LUA51_INCDIR) $(LIBFLAG) -o $@ $(CORE_SRC) $(GLUE_SRC) $(LDLIBS)

# The FFI declarations, generated from the marked regions of include/tpp.h.
lua/tpp/cdef.lua: include/tpp.h bin/gen-cdef.lua
	$(LUA) bin/gen-cdef.lua include/tpp.h > $@.tmp && mv $@.tmp $@

cdef: lua/tpp/cdef.lua

# Bring the rockspec's source and module lists in line with the tree.
rockspec:
	$(LUA) bin/gen-rockspec.lua

chips: all
	@bin/tpp chips

# ---- tests ----
C_TESTS = $(sort $(wildcard spec/c/test_*.c))

build/test/c_tests: $(C_TESTS) $(CORE_SRC) $(HEADERS) spec/c/tap.h
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) -Ispec/c -o $@ spec/c/main.c $(C_TESTS) $(CORE_SRC) $(LDLIBS)

build/test/c_tests_asan: $(C_TESTS) $(CORE_SRC) $(HEADERS) spec/c/tap.h
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
	  -fno-omit-frame-pointer -Ispec/c -o $@ spec/c/main.c $(C_TESTS) $(CORE_SRC) $(LDLIBS)

test: all build/test/c_tests build/test/c_tests_asan
	@sh spec/run.sh

lint: deps lua/tpp/cdef.lua
	luacheck --quiet lua bin/tpp spec examples
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	  --inline-suppr --std=c99 -Iinclude -Icsrc -I$(LUA54_INCDIR) \
	  --suppress=missingIncludeSystem --suppress=toomanyconfigs csrc spec/c

fuzz: all
	@$(MAKE) --no-print-directory -f spec/fuzz/Makefile.inc run

# The man page and completion scripts, generated from the command definitions.
CLI_SRC = lua/tpp/cli.lua $(wildcard lua/tpp/cli/*.lua lua/tpp/commands/*.lua) CHANGELOG.md

build/man/tpp.1: all bin/gen-man.lua $(CLI_SRC)
	@mkdir -p $(dir $@)
	$(LUA) bin/gen-man.lua $@.tmp && mv $@.tmp $@

build/completion/tpp.bash build/completion/_tpp: all $(CLI_SRC)
	@mkdir -p build/completion
	TPP_BINDING= TPP_LUA=$(LUA) COLUMNS=80 bin/tpp completion bash > build/completion/tpp.bash
	TPP_BINDING= TPP_LUA=$(LUA) COLUMNS=80 bin/tpp completion zsh > build/completion/_tpp

man: build/man/tpp.1 build/completion/tpp.bash build/completion/_tpp

install: all man
	install -d $(DESTDIR)$(LUADIR) $(DESTDIR)$(LIBDIR)/tpp $(DESTDIR)$(LUADIR51) $(DESTDIR)$(LIBDIR51)/tpp \
	  $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	cd lua && find tpp -name '*.lua' -exec install -D -m 644 {} $(DESTDIR)$(LUADIR)/{} \;
	cd lua && find tpp -name '*.lua' -exec install -D -m 644 {} $(DESTDIR)$(LUADIR51)/{} \;
	install -m 755 build/5.4/tpp/core.so $(DESTDIR)$(LIBDIR)/tpp/core.so
	install -m 755 build/5.1/tpp/core.so $(DESTDIR)$(LIBDIR51)/tpp/core.so
	install -m 755 bin/tpp $(DESTDIR)$(BINDIR)/tpp
	install -m 644 build/man/tpp.1 $(DESTDIR)$(MANDIR)/man1/tpp.1
	install -m 644 build/completion/tpp.bash $(DESTDIR)$(BASHCOMPDIR)/tpp
	install -m 644 build/completion/_tpp $(DESTDIR)$(ZSHCOMPDIR)/_tpp

# `require "tpp"` from this checkout, in any interpreter: eval "$$(make -s env)".
# Lua 5.4 reads the _5_4 variables first; Lua 5.1 and LuaJIT share the 5.1 ABI.
env:
	@echo 'export LUA_PATH="$(CURDIR)/lua/?.lua;$(CURDIR)/lua/?/init.lua;;"'
	@echo 'export LUA_CPATH="$(CURDIR)/build/5.1/?.so;;"'
	@echo 'export LUA_PATH_5_4="$(CURDIR)/lua/?.lua;$(CURDIR)/lua/?/init.lua;;"'
	@echo 'export LUA_CPATH_5_4="$(CURDIR)/build/5.4/?.so;;"'
	@echo 'export PATH="$(CURDIR)/bin:$$PATH"'

# The release tarball named by rockspec/tpp-$(VERSION)-1.rockspec (git archive of HEAD).
dist:
	@mkdir -p build
	git archive --format=tar.gz --prefix=tpp-$(VERSION)/ -o build/tpp-$(VERSION).tar.gz HEAD
	@echo "build/tpp-$(VERSION).tar.gz: cd build && luarocks build ../rockspec/tpp-$(VERSION)-1.rockspec"

clean:
	rm -rf build
