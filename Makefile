# llmcost - build, test, benchmark, plot, install.   `make help` lists targets.
#
# User variables (respected, never overwritten): CC CFLAGS LDFLAGS PREFIX DESTDIR
# Project switches: WERROR=1 (warnings are errors), SAN=1 (ASan+UBSan build in
# build-san/), MPI=1 (Open MPI + parallel HDF5 build in build-mpi/), BUILD=dir,
# KERNELS=scalar (the portable scalar kernel only, in build-scalar/).

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/llmcost
INCDIR  ?= $(PREFIX)/include
LIBDIR  ?= $(PREFIX)/lib
CFLAGS  ?= -O2 -g
PY      ?= /usr/bin/python3

ifeq ($(MPI),1)
  CC      = mpicc
  HDF5_PC = hdf5-openmpi
  BUILD  ?= build-mpi
  LC_DEFS = -DLC_MPI=1
else ifeq ($(SAN),1)
  HDF5_PC = hdf5-serial
  BUILD  ?= build-san
  LC_SAN  = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else
  HDF5_PC = hdf5-serial
  BUILD  ?= $(if $(filter scalar,$(KERNELS)),$(if $(filter file default,$(origin KERNELS)),build,build-scalar),build)
endif

PKGS       = $(HDF5_PC) inih gsl zlib liblz4 blosc
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS)) -lhdf5_hl
GIT_COMMIT = $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)

# -ffp-contract=off: no FMA contraction, so every ISA path and numpy give the
# same bits (see doc/architecture.md, "Floating-point policy").
LC_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -fopenmp \
            -ffp-contract=off -fno-math-errno \
            -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wpointer-arith -Wformat=2 -Wvla \
            $(if $(filter 1,$(WERROR)),-Werror) $(LC_SAN) $(LC_DEFS) \
            -Iinclude -Isrc -I$(BUILD)/gen $(PKG_CFLAGS) -MMD -MP
LC_LDLIBS = $(PKG_LIBS) -lm -fopenmp $(LC_SAN)

# Kernel ISA paths (issue 14).  KERNELS=all (the default on x86-64) builds
# the scalar, AVX2 and AVX-512 kernel files; KERNELS=scalar (the default on
# any other architecture) builds the portable scalar kernel alone, into
# build-scalar/ unless BUILD is given.  Each ISA file is compiled with its
# native vector width (ymm for AVX2, zmm for AVX-512) and, where the
# compiler has it (gcc), -Wvector-operation-performance, so a vector type
# wider than the target's registers is a warning (an error with WERROR=1).
LC_ARCH   := $(shell $(CC) -dumpmachine 2>/dev/null)
KERNELS   ?= $(if $(filter x86_64%,$(LC_ARCH)),all,scalar)
ifeq ($(KERNELS),scalar)
  LC_DEFS += -DLC_KERNELS_SCALAR_ONLY=1
  ISA_SRC  = src/kernel/kernel_avx2.c src/kernel/kernel_avx512.c
else ifneq ($(KERNELS),all)
  $(error KERNELS=$(KERNELS): expected all or scalar)
endif
LC_KWARN  := $(shell $(CC) -Werror -Wvector-operation-performance -x c -c -o /dev/null /dev/null \
                 2>/dev/null && echo -Wvector-operation-performance)
ISA_AVX2   = -mavx2 -mfma $(LC_KWARN)
ISA_AVX512 = -mavx512f -mavx512dq -mavx512vl -mavx2 -mfma -mprefer-vector-width=512 $(LC_KWARN)

LIB_SRC  = $(filter-out src/cli/main.c $(ISA_SRC),$(shell find src -name '*.c' | sort))
LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/catalog_builtin.o
LIB      = $(BUILD)/libllmcost.a
# The shared library: the same sources compiled position-independent in
# $(BUILD)/pic/ (the static objects stay non-PIC for the engine's speed);
# only the public API (include/llmcost/llmcost.h, symbols llmcost_*) is
# exported, by the version script src/api/libllmcost.map.
SO_MAJOR = 0
SO_NAME  = libllmcost.so.$(SO_MAJOR)
SO_LIB   = $(BUILD)/$(SO_NAME)
PIC_OBJ  = $(LIB_OBJ:$(BUILD)/obj/%=$(BUILD)/pic/%)
BIN      = $(BUILD)/llmcost
TEST_SRC = $(sort $(wildcard tests/test_*.c))
TEST_BIN = $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
BENCH_SRC = $(sort $(wildcard bench/*.c))
BENCH_BIN = $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

.PHONY: all check check-full bench plots demo deps install uninstall clean help fuzz
all: $(BIN)

$(BUILD)/gen/catalog_builtin.c: sweeps/catalog.ini Makefile
	@mkdir -p $(@D)
	@{ echo '/* generated from sweeps/catalog.ini by the Makefile: do not edit */'; \
	   echo '#include "catalog/catalog.h"'; \
	   echo 'const char lc_catalog_builtin_text[] ='; \
	   sed 's/\\/\\\\/g; s/"/\\"/g; s/^/"/; s/$$/\\n"/' sweeps/catalog.ini; echo ';'; } > $@

$(BUILD)/obj/gen/catalog_builtin.o: $(BUILD)/gen/catalog_builtin.c
	@mkdir -p $(@D)
	$(CC) $(LC_CFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/pic/%_avx2.o: %_avx2.c
	@mkdir -p $(@D)
	$(CC) $(LC_CFLAGS) $(CFLAGS) -fPIC $(ISA_AVX2) -c $< -o $@

$(BUILD)/pic/%_avx512.o: %_avx512.c
	@mkdir -p $(@D)
	$(CC) $(LC_CFLAGS) $(CFLAGS) -fPIC $(ISA_AVX512) -c $< -o $@

$(BUILD)/pic/src/util/version.o: src/util/version.c $(BUILD)/gen/commit.txt
	@mkdir -p $(@D)
	$(CC) $(LC_CFLAGS) $(CFLAGS) -fPIC -DLC_GIT_COMMIT='"$(GIT_COMMIT)"' -c $< -o $@

$(BUILD)/pic/gen/catalog_builtin.o: $(BUILD)/gen/catalog_builtin.c
	@mkdir -p $(@D)
	$(CC) $(LC_CFLAGS) $(CFLAGS) -fPIC -c $< -o $@

$(BUILD)/pic/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(LC_CFLAGS) $(CFLAGS) -fPIC -c $< -o $@

$(SO_LIB): $(PIC_OBJ) src/api/libllmcost.map
	$(CC) $(CFLAGS) $(LDFLAGS) -shared -Wl,-soname,$(SO_NAME) \
	    -Wl,--version-script=src/api/libllmcost.map $(PIC_OBJ) -o $@ $(LC_LDLIBS)

$(BUILD)/llmcost.pc: src/api/llmcost.pc.in FORCE
	@sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(patsubst $(PREFIX)%,$${prefix}%,$(LIBDIR))|' \
	     -e 's|@INCDIR@|$(patsubst $(PREFIX)%,$${prefix}%,$(INCDIR))|' \
	     -e 's|@VERSION@|$(shell sed -n 's/^#define LC_VERSION "\(.*\)"/\1/p' src/util/version.h)|' \
	     -e 's|@REQUIRES@|$(PKGS)|' $< > $@

$(BUILD)/obj/%_avx2.o: %_avx2.c
	@mkdir -p $(@D)
	$(CC) $(LC_CFLAGS) $(CFLAGS) $(ISA_AVX2) -c $< -o $@

$(BUILD)/obj/%_avx512.o: %_avx512.c
	@mkdir -p $(@D)
	$(CC) $(LC_CFLAGS) $(CFLAGS) $(ISA_AVX512) -c $< -o $@

# commit.txt changes only when the commit does, so version.o (and the
# commit the binary reports) follow every new commit without rebuilding more.
$(BUILD)/gen/commit.txt: FORCE
	@mkdir -p $(@D)
	@echo '$(GIT_COMMIT)' | cmp -s - $@ || echo '$(GIT_COMMIT)' > $@

$(BUILD)/obj/src/util/version.o: src/util/version.c $(BUILD)/gen/commit.txt
	@mkdir -p $(@D)
	$(CC) $(LC_CFLAGS) $(CFLAGS) -DLC_GIT_COMMIT='"$(GIT_COMMIT)"' -c $< -o $@

FORCE:

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(LC_CFLAGS) $(CFLAGS) $(if $(findstring /src/kernel/,$@),$(LC_KWARN)) \
	    $(if $(findstring /kernel_scalar.o,$@),-fno-tree-vectorize -fno-tree-slp-vectorize) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BIN): $(BUILD)/obj/src/cli/main.o $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LC_LDLIBS)

$(BUILD)/tests/%: tests/%.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LC_CFLAGS) $(CFLAGS) $(shell pkg-config --cflags cmocka) $(LDFLAGS) $< $(LIB) -o $@ \
	    $(LC_LDLIBS) $(shell pkg-config --libs cmocka)

$(BUILD)/bench/%: bench/%.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LC_CFLAGS) $(CFLAGS) $(LDFLAGS) $< $(LIB) -o $@ $(LC_LDLIBS)

# The README's test command: every cmocka suite and every CLI/Python test.
check: $(BIN) $(TEST_BIN)
	@BUILD=$(BUILD) PY=$(PY) sh tests/run_tests.sh

# make check-slurm: the sweeps/slurm/ scripts through sbatch on a private
# single-node Slurm, results compared with serial runs (tests/slurm/run.sh,
# ~2 min; needs root, slurm-wlm and munge, else SKIP; doc/cluster.md).
.PHONY: check-slurm
check-slurm: $(BIN)
	@$(MAKE) --no-print-directory MPI=1 BUILD=build-mpi all
	@BUILD=$(BUILD) PY=$(PY) bash tests/slurm/run.sh

bench: $(BIN) $(BENCH_BIN)
	@BUILD=$(BUILD) PY=$(PY) sh bench/run_bench.sh

plots: $(BIN)
	@BUILD=$(BUILD) sh plots/render_all.sh

demo: $(BIN)
	@BUILD=$(BUILD) sh plots/demo.sh

deps:
	@missing=$$(grep -v '^#' .ci/debian-packages | while read p; do \
	    [ -n "$$p" ] && ! dpkg -s "$$p" >/dev/null 2>&1 && echo "$$p"; done); \
	if [ -n "$$missing" ]; then \
	    echo "installing:" $$missing; \
	    SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	    $$SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y $$missing; \
	else echo "deps: every package is installed"; fi

# Installs the command, its man page, the shipped specs and catalogue, and the
# library for C programs: the one public header <llmcost/llmcost.h> (every other
# header is private), libllmcost.a, libllmcost.so and llmcost.pc.
install: $(BIN) $(LIB) $(SO_LIB) $(BUILD)/llmcost.pc
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DATADIR)/sweeps \
	    $(DESTDIR)$(DATADIR)/plots $(DESTDIR)$(INCDIR)/llmcost $(DESTDIR)$(LIBDIR)/pkgconfig
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/llmcost
	install -m 644 src/cli/llmcost.1 $(DESTDIR)$(MANDIR)/man1/llmcost.1
	install -m 644 sweeps/*.ini $(DESTDIR)$(DATADIR)/sweeps/
	install -m 644 sweeps/catalog.ini $(DESTDIR)$(DATADIR)/catalog.ini
	install -m 644 plots/*.gp $(DESTDIR)$(DATADIR)/plots/ 2>/dev/null || true
	install -m 644 include/llmcost/llmcost.h $(DESTDIR)$(INCDIR)/llmcost/llmcost.h
	install -m 644 $(LIB) $(DESTDIR)$(LIBDIR)/libllmcost.a
	install -m 755 $(SO_LIB) $(DESTDIR)$(LIBDIR)/$(SO_NAME)
	ln -sf $(SO_NAME) $(DESTDIR)$(LIBDIR)/libllmcost.so
	install -m 644 $(BUILD)/llmcost.pc $(DESTDIR)$(LIBDIR)/pkgconfig/llmcost.pc

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/llmcost $(DESTDIR)$(MANDIR)/man1/llmcost.1 \
	    $(DESTDIR)$(LIBDIR)/libllmcost.a $(DESTDIR)$(LIBDIR)/$(SO_NAME) \
	    $(DESTDIR)$(LIBDIR)/libllmcost.so $(DESTDIR)$(LIBDIR)/pkgconfig/llmcost.pc
	rm -rf $(DESTDIR)$(DATADIR) $(DESTDIR)$(INCDIR)/llmcost

clean:
	rm -rf build build-san build-mpi build-scalar build-fuzz

help:
	@echo "make [all]        build $(BUILD)/llmcost"
	@echo "make check        build and run every test (README's test command)"
	@echo "make bench        benchmark table (points/s, GB/s, ratios, peak RSS)"
	@echo "make plots        render every figure in plots/ into plots/out/"
	@echo "make demo         run the default sweep and draw its plots"
	@echo "make deps         install the Debian packages in .ci/debian-packages"
	@echo "make install      PREFIX=$(PREFIX) DESTDIR=... (binary, man page, data, headers)"
	@echo "make fuzz         libFuzzer harnesses (clang), FUZZ_SECONDS=60 each"
	@echo "make check-full   make check under valgrind, then SAN=1 (ASan+UBSan)"
	@echo "make check-slurm  sweeps/slurm/ scripts on a private single-node Slurm (root)"
	@echo "make uninstall / clean / help"
	@echo "switches: WERROR=1  SAN=1 (sanitizers)  MPI=1 (Open MPI build)  BUILD=dir"
	@echo "          KERNELS=scalar (scalar kernel only, build-scalar/)  CC=clang"

# ---- the slow tier (issue 7): fuzzing, sanitizers, valgrind -------------
# make fuzz: the libFuzzer harnesses tests/fuzz/fuzz_*.c, built with clang
# (ASan+UBSan) into $(FUZZ_BUILD)/fuzz/, each run FUZZ_SECONDS seconds by
# tests/fuzz/run_fuzz.sh after replaying tests/regress/.
# make check-full: the CLI and cmocka tests under valgrind memcheck (this
# build, AVX2 kernel: valgrind dies on AVX-512), then make check SAN=1 in
# $(SAN_BUILD).
FUZZ_SECONDS ?= 60
FUZZ_BUILD   ?= build-fuzz
FUZZ_CC      ?= clang
SAN_BUILD    ?= build-san
FUZZ_SAN      = -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
                -fno-sanitize-recover=undefined
FUZZ_BIN      = $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))

.PHONY: fuzz-build
fuzz:
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) CFLAGS="-O1 -g" \
	    LC_SAN="$(FUZZ_SAN)" fuzz-build
	@FUZZ_BUILD=$(FUZZ_BUILD) FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/run_fuzz.sh

fuzz-build: $(FUZZ_BIN)

$(BUILD)/fuzz/%: tests/fuzz/%.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LC_CFLAGS) $(CFLAGS) -fsanitize=fuzzer $< $(LIB) -o $@ $(LC_LDLIBS)

check-full: $(BIN) $(TEST_BIN)
	@BUILD=$(BUILD) PY=$(PY) sh tests/valgrind_run.sh
	@$(MAKE) --no-print-directory check SAN=1 BUILD=$(SAN_BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
