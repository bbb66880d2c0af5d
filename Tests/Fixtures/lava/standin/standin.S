/* A stand-in boot image for LAVA tests (not L4Re): a multiboot kernel that
   writes the console text it carries (console.txt, embedded at build time)
   to COM1 and halts. Build: gcc -m32 -nostdlib -static -Wl,-Ttext=0x100000 -o standin.elf standin.S */
    .section .text
    .align 4
multiboot_header:
    .long 0x1BADB002            /* magic */
    .long 0x00000000            /* flags: an ELF image, no extra fields */
    .long -(0x1BADB002)         /* checksum */

    .globl _start
_start:
    mov $stack_top, %esp
    /* COM1: 115200 8N1 */
    mov $0x3f9, %dx; xor %al, %al; out %al, %dx       /* no interrupts */
    mov $0x3fb, %dx; mov $0x80, %al; out %al, %dx     /* DLAB */
    mov $0x3f8, %dx; mov $1, %al; out %al, %dx        /* divisor 1 */
    mov $0x3f9, %dx; xor %al, %al; out %al, %dx
    mov $0x3fb, %dx; mov $0x03, %al; out %al, %dx     /* 8N1 */
    mov $text, %esi
1:  cmp $text_end, %esi
    jae 3f
    mov $0x3fd, %dx
2:  in %dx, %al
    test $0x20, %al
    jz 2b
    mov $0x3f8, %dx
    movb (%esi), %al
    out %al, %dx
    inc %esi
    jmp 1b
3:  cli
4:  hlt
    jmp 4b

    .section .rodata
text:
    .incbin "console.txt"
text_end:

    .section .bss
    .align 16
    .space 4096
stack_top:
