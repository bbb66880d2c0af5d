# BID support for Swift: lets an L4Re package list Swift sources beside C and C++.
#
# In a package's program Makefile, after TARGET and before prog.mk:
#
#   TARGET          = my-prog
#   SRC_SWIFT       = main.swift            # or SRC_SWIFT_<target>
#   SRC_CC          = ...                   # C/C++ may be mixed in as usual
#   L4IFACE         = my_iface.h            # or L4IFACE_<target>: C++ interface headers
#   include $(L4SWIFT_DIR)/Bench/l4re/mk/swift.mk
#   include $(L4DIR)/mk/prog.mk
#
# L4SWIFT_DIR is the root of an l4bench checkout. Set it in the Makefile or on
# the command line (make ... L4SWIFT_DIR=/path/to/l4bench); inside this
# repository the package's Makefiles set it themselves.
#
# Interfaces are declared once, in C++: every header named in L4IFACE (a path,
# or a name as #include spells it, found under the package's and L4Re's
# include directories, e.g. l4/sys/meta) goes through l4swift-gen, and the
# Swift it writes (a typed `Iface.Client`, an `Iface.Server` protocol, the
# dispatch and the meta protocol) compiles with the target's Swift sources.
# The generator is built once with SwiftPM in the l4bench checkout
# (L4SWIFT_GEN overrides it). L4IFACE_FLAGS (or L4IFACE_FLAGS_<target>) passes
# options to it, e.g. --with-code Namespace::query.
# Each target's Swift sources, the L4 library (Sources/L4Swift) and the wire
# format (Sources/L4Wire) compile as one whole-module Embedded Swift object for
# x86_64-unknown-none-elf, with BID's include paths and defines passed through
# -Xcc so that the CL4 module sees the same L4Re headers as C code does. The
# object links into the program with the runtime glue (swift-runtime.c),
# Swift's Unicode tables (for String hashing) and libm.
#
# Variables: SWIFTC (default: swiftc on PATH), SWIFT_OPT (default -O),
# SWIFT_FLAGS (extra flags; SWIFT_FLAGS_<target> for one target),
# L4SWIFT_DIR (the project root; found from this file). C functions of the
# package are declared in Swift with @_extern(c, "name") (feature Extern, on).

# These rules must not become the default goal of the including Makefile.
L4SWIFT_SAVED_GOAL := $(.DEFAULT_GOAL)

L4SWIFT_MK_DIR   := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
L4SWIFT_DIR      ?= $(abspath $(L4SWIFT_MK_DIR)/../../..)
SWIFTC           ?= swiftc
SWIFT_OPT        ?= -O -Xllvm -vectorize-loops=false -Xllvm -vectorize-slp=false
SWIFT_TARGET     := x86_64-unknown-none-elf
SWIFT_RESOURCE   ?= $(abspath $(dir $(shell which $(SWIFTC)))/../lib/swift)
SWIFT_EMBEDDED_LIBDIR ?= $(SWIFT_RESOURCE)/embedded/$(SWIFT_TARGET)
L4SWIFT_LIB_SRC  := $(sort $(wildcard $(L4SWIFT_DIR)/Sources/L4Wire/*.swift) \
                           $(wildcard $(L4SWIFT_DIR)/Sources/L4Swift/*.swift) \
                           $(wildcard $(L4SWIFT_DIR)/Sources/L4Swift/Services/*.swift))
L4SWIFT_CL4      := $(L4SWIFT_DIR)/Sources/L4Swift/CL4
L4SWIFT_GEN      ?= $(L4SWIFT_DIR)/.build/release/l4swift-gen
L4SWIFT_GEN_SRC  := $(wildcard $(L4SWIFT_DIR)/Sources/L4IfaceGen/*.swift $(L4SWIFT_DIR)/Sources/l4swift-gen/*.swift)

# BID's preprocessor flags, each behind -Xcc. Flags only GCC knows are dropped.
L4SWIFT_XCC = $(foreach f,$(filter-out -fmacro-prefix-map=%,$(CPPFLAGS)),-Xcc $(f))

L4SWIFT_FLAGS = -target $(SWIFT_TARGET) -enable-experimental-feature Embedded \
                -wmo -parse-as-library $(SWIFT_OPT) \
                -Xfrontend -disable-stack-protector -Xcc -fno-stack-protector \
                -Xcc -mcmodel=small -Xllvm -relocation-model=pic \
                -enable-experimental-feature Extern \
                -I $(L4SWIFT_CL4) $(SWIFT_FLAGS)

# Where interface headers are looked up: the package's source directory, then
# BID's include path (known only when the recipe runs, after prog.mk). The
# generator runs on every build and rewrites its output only when it changes,
# so that a changed header, found wherever it is, rebuilds the program.
L4SWIFT_INCDIRS = $(SRC_DIR) $(patsubst -I%,%,$(filter -I%,$(CPPFLAGS)))
.PHONY: l4swift-always

# L4Swift's own calls to L4Re (Sources/L4Swift/Services) go through clients
# generated from L4Re's headers, with their C++ namespaces (L4Re.Rm,
# L4Re.Dataspace, L4.Factory, L4.Rcv_endpoint, L4.Scheduler; L4Swift has a
# Dataspace of its own): for programs whose interfaces are generated without
# --namespaces (their names stay top-level: Rm, Calc, ...) once per package
# directory into l4swift-l4re.iface.swift, clients only (L4Swift serves none of
# them: no notes about bases a server would not answer); when a program's
# L4IFACE_FLAGS have --namespaces, into the program's own output, whole (one
# output declares the enums L4 and L4Re once; the program may serve them).
L4SWIFT_L4RE_IFACES := l4/re/dataspace l4/re/rm l4/sys/factory l4/sys/rcv_endpoint l4/sys/scheduler
L4SWIFT_L4RE_ONLY   := --namespaces --only Dataspace --only Rm --only Factory --only Rcv_endpoint --only Scheduler
l4swift-l4re.iface.swift: $(L4SWIFT_GEN) l4swift-always
	$(VERBOSE)$(L4SWIFT_GEN) $(addprefix -I ,$(L4SWIFT_INCDIRS)) $(L4SWIFT_L4RE_ONLY) --clients-only -o $@ $(L4SWIFT_L4RE_IFACES)

# What the Swift objects are built with, rewritten only when it changes: another
# L4SWIFT_DIR (a second checkout, whose files may be older), compiler or flags rebuilds them.
l4swift-config.stamp: l4swift-always
	$(VERBOSE)printf '%s\n' '$(L4SWIFT_DIR)' '$(SWIFTC)' '$(SWIFT_OPT)' '$(SWIFT_FLAGS)' '$(L4SWIFT_GEN)' > $@.tmp
	$(VERBOSE)if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi

define L4SWIFT_TARGET_RULES
ifneq ($$(strip $$(SRC_SWIFT) $$(SRC_SWIFT_$(1))),)
L4SWIFT_IFACES_$(1) := $$(strip $$(L4IFACE) $$(L4IFACE_$(1)))
L4SWIFT_GENFLAGS_$(1) := $$(strip $$(L4IFACE_FLAGS) $$(L4IFACE_FLAGS_$(1)))
ifneq ($$(filter --namespaces,$$(L4SWIFT_GENFLAGS_$(1))),)
# the library's headers in the program's run (and its --only names, when it narrows)
L4SWIFT_IFACES_$(1) += $$(filter-out $$(L4SWIFT_IFACES_$(1)),$$(L4SWIFT_L4RE_IFACES))
L4SWIFT_GENFLAGS_$(1) += $$(if $$(filter --only,$$(L4SWIFT_GENFLAGS_$(1))),$$(filter-out --namespaces,$$(L4SWIFT_L4RE_ONLY)))
L4SWIFT_IFACE_OUT_$(1) := $(1).iface.swift
else
L4SWIFT_IFACE_OUT_$(1) := $$(if $$(L4SWIFT_IFACES_$(1)),$(1).iface.swift) l4swift-l4re.iface.swift
endif
OBJS_$(1) += $(1).swift.o l4swift-runtime.o
$(1): $(1).swift.o l4swift-runtime.o
$(1).iface.swift: $$(L4SWIFT_GEN) l4swift-always
	$$(VERBOSE)$$(L4SWIFT_GEN) $$(addprefix -I ,$$(L4SWIFT_INCDIRS)) $$(L4SWIFT_GENFLAGS_$(1)) -o $$@ $$(L4SWIFT_IFACES_$(1))
$(1).swift.o: $$(addprefix $$(SRC_DIR)/,$$(SRC_SWIFT) $$(SRC_SWIFT_$(1))) $$(L4SWIFT_IFACE_OUT_$(1)) \
              $$(L4SWIFT_LIB_SRC) $$(wildcard $$(L4SWIFT_CL4)/*) $$(L4SWIFT_MK_DIR)/swift.mk l4swift-config.stamp
	@$$(COMP_MESSAGE)
	$$(VERBOSE)$$(SWIFTC) $$(L4SWIFT_FLAGS) $$(SWIFT_FLAGS_$(1)) -module-name $$(subst -,_,$(1)) $$(L4SWIFT_XCC) \
	    -c $$(filter %.swift,$$^) -o $$@
	@touch $$@   # swiftc leaves an unchanged object alone: the time says it is current
endif
endef

# The generator, built once in the l4bench checkout (SwiftPM serialises concurrent builds).
$(L4SWIFT_DIR)/.build/release/l4swift-gen: $(L4SWIFT_GEN_SRC)
	@$(GEN_MESSAGE)
	$(VERBOSE)cd $(L4SWIFT_DIR) && swift build -c release --product l4swift-gen >/dev/null

# Rules exist only in BID's second pass, in the object directory (SRC_DIR set).
ifneq ($(SRC_DIR),)
$(foreach t,$(TARGET),$(eval $(call L4SWIFT_TARGET_RULES,$(t))))
endif

l4swift-runtime.o: $(L4SWIFT_MK_DIR)/swift-runtime.c
	@$(COMP_MESSAGE)
	$(VERBOSE)$(CC) $(CFLAGS) $(CPPFLAGS) -c $< -o $@

EXTRA_LIBS += $(SWIFT_EMBEDDED_LIBDIR)/libswiftUnicodeDataTables.a -lm
REQUIRES_LIBS += l4re_c-util

.DEFAULT_GOAL := $(L4SWIFT_SAVED_GOAL)
