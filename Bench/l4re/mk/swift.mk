# BID support for Swift: lets an L4Re package list Swift sources beside C and C++.
#
# In a package's program Makefile, after TARGET and before prog.mk:
#
#   TARGET          = my-prog
#   SRC_SWIFT       = main.swift            # or SRC_SWIFT_<target>
#   SRC_CC          = ...                   # C/C++ may be mixed in as usual
#   include $(L4SWIFT_DIR)/Bench/l4re/mk/swift.mk
#   include $(L4DIR)/mk/prog.mk
#
# Each target's Swift sources, the L4 library (Sources/L4Swift) and the wire
# format (Sources/L4Wire) compile as one whole-module Embedded Swift object for
# x86_64-unknown-none-elf, with BID's include paths and defines passed through
# -Xcc so that the CL4 module sees the same L4Re headers as C code does. The
# object links into the program with the runtime glue (swift-runtime.c),
# Swift's Unicode tables (for String hashing) and libm.
#
# Variables: SWIFTC (default: swiftc on PATH), SWIFT_OPT (default -O),
# SWIFT_FLAGS (extra flags), L4SWIFT_DIR (the project root; found from this file).

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
                           $(wildcard $(L4SWIFT_DIR)/Sources/L4Swift/*.swift))
L4SWIFT_CL4      := $(L4SWIFT_DIR)/Sources/L4Swift/CL4

# BID's preprocessor flags, each behind -Xcc. Flags only GCC knows are dropped.
L4SWIFT_XCC = $(foreach f,$(filter-out -fmacro-prefix-map=%,$(CPPFLAGS)),-Xcc $(f))

L4SWIFT_FLAGS = -target $(SWIFT_TARGET) -enable-experimental-feature Embedded \
                -wmo -parse-as-library $(SWIFT_OPT) \
                -Xfrontend -disable-stack-protector -Xcc -fno-stack-protector \
                -Xcc -mcmodel=small -Xllvm -relocation-model=pic \
                -I $(L4SWIFT_CL4) $(SWIFT_FLAGS)

define L4SWIFT_TARGET_RULES
ifneq ($$(strip $$(SRC_SWIFT) $$(SRC_SWIFT_$(1))),)
OBJS_$(1) += $(1).swift.o l4swift-runtime.o
$(1): $(1).swift.o l4swift-runtime.o
$(1).swift.o: $$(addprefix $$(SRC_DIR)/,$$(SRC_SWIFT) $$(SRC_SWIFT_$(1))) $$(L4SWIFT_LIB_SRC) $$(wildcard $$(L4SWIFT_CL4)/*) $$(L4SWIFT_MK_DIR)/swift.mk
	@$$(COMP_MESSAGE)
	$$(VERBOSE)$$(SWIFTC) $$(L4SWIFT_FLAGS) -module-name $$(subst -,_,$(1)) $$(L4SWIFT_XCC) \
	    -c $$(filter %.swift,$$^) -o $$@
endif
endef

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
