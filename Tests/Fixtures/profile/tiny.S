# A program with exactly known instruction counts for the profile tests
# (scripts/profile-fixtures.sh builds it and records tiny.trace under
# qemu-x86_64 with the l4prof plugin). Six timed windows: 3 with n = 10,
# then 3 with n = 100. A window, from after `rdtsc` to `rdtscp` included:
#   window: mov, call, call, rdtscp        4
#   work:   2n + 1 (n x dec/jnz, ret)      21 or 201
#   other:  nop, nop, nop, ret             4
# so 2n + 9 instructions: 29 and 209.
    .text
    .globl _start
_start:
    mov $3, %r12d
1:  mov $10, %edi
    call window
    dec %r12d
    jnz 1b
    mov $3, %r12d
2:  mov $100, %edi
    call window
    dec %r12d
    jnz 2b
    mov $60, %eax
    xor %edi, %edi
    syscall

    .type window, @function
window:
    lfence
    rdtsc
    mov %edi, %ecx
    call work
    call other
    rdtscp
    lfence
    ret
    .size window, . - window

    .type work, @function
work:
3:  dec %ecx
    jnz 3b
    ret
    .size work, . - work

    .type other, @function
other:
    nop
    nop
    nop
    ret
    .size other, . - other
