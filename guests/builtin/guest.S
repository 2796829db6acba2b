/*
 * HyperNest's built-in guest: a tiny kernel in bzImage format, booted through the same 64-bit Linux boot
 * protocol path as a real kernel (Documentation/arch/x86/boot.rst). It reads what the VMM told it - the e820
 * memory map in the zero page and the CPUs in the ACPI MADT - prints one banner line on COM1, and powers the VM
 * off through the ACPI sleep register named in the FADT. Kernel mode is emulated on some hosts (~1 us per
 * instruction), so it does as little as possible.
 *
 * Command line "hnest.bench=N" (N decimal) makes it perform N round trips to the benchmark port first;
 * "hnest.hold=1" keeps it running (idle) after the banner instead of powering off, until the ACPI power button
 * (a graceful shutdown from the host) is pressed. "hnest.reboot=1" makes it reboot after its banner instead, as
 * Linux's reboot=k does (command 0xFE to the 8042: pulse the CPU reset line): a guest in a reboot loop.
 */
    .intel_syntax noprefix
    .text

    .set COM1, 0x3f8
    .set BENCH_PORT, 0x3fe0   /* a port no device claims: each OUT is one full exit round trip */
    .set S5_SLEEP_TYPE, 5

/* ---- boot sector + setup header (boot.rst, "The real-mode kernel header") ---- */
image_start:
    .org 0x1f1
setup_sects:        .byte 1                 /* protected-mode code starts at (1 + 1) * 512 */
root_flags:         .word 0
syssize:            .long (image_end - pm_start + 15) / 16
ram_size:           .word 0
vid_mode:           .word 0xffff
root_dev:           .word 0
boot_flag:          .word 0xaa55
    .org 0x200
jump:               .byte 0xeb, header_end - jump - 2
header:             .ascii "HdrS"
version:            .word 0x020f
realmode_swtch:     .long 0
start_sys_seg:      .word 0
kernel_version:     .word 0
type_of_loader:     .byte 0
loadflags:          .byte 0x01              /* LOADED_HIGH */
setup_move_size:    .word 0
code32_start:       .long 0x100000
ramdisk_image:      .long 0
ramdisk_size:       .long 0
bootsect_kludge:    .long 0
heap_end_ptr:       .word 0
ext_loader_ver:     .byte 0
ext_loader_type:    .byte 0
cmd_line_ptr:       .long 0
initrd_addr_max:    .long 0x7fffffff
kernel_alignment:   .long 0x1000
relocatable_kernel: .byte 1
min_alignment:      .byte 12
xloadflags:         .word 0x0003            /* XLF_KERNEL_64 | XLF_CAN_BE_LOADED_ABOVE_4G */
cmdline_size:       .long 2047
hardware_subarch:   .long 0
hardware_subarch_data: .quad 0
payload_offset:     .long 0
payload_length:     .long 0
setup_data:         .quad 0
pref_address:       .quad 0x100000
init_size:          .long 0x10000
handover_offset:    .long 0
kernel_info_offset: .long 0
header_end:

/* ---- protected-mode kernel ---- */
    .org 0x400
pm_start:
    /* 32-bit entry (offset 0): not supported, HyperNest uses the 64-bit entry only. */
    hlt
    jmp pm_start

    .org 0x400 + 0x200
    .code64
entry64:
    /* rsi = zero page. Keep it in r15. */
    mov r15, rsi
    lea rsp, [rip + stack_top]

    call run_benchmark

    /* memory: sum of e820 RAM entries (zero page 0x1e8 = count, 0x2d0 = table of 20-byte entries) */
    movzx ecx, byte ptr [r15 + 0x1e8]
    lea rbx, [r15 + 0x2d0]
    xor r12, r12
1:  test ecx, ecx
    jz 2f
    cmp dword ptr [rbx + 16], 1
    jne 3f
    add r12, [rbx + 8]
3:  add rbx, 20
    dec ecx
    jmp 1b
2:
    /* vCPUs: enabled Local APIC (type 0) and x2APIC (type 9) entries in the MADT */
    lea rdi, [rip + sig_apic]
    call find_acpi_table
    xor r13, r13
    test rax, rax
    jz 5f
    mov ecx, [rax + 4]              /* table length */
    lea rdx, [rax + rcx]            /* end */
    lea rbx, [rax + 44]             /* first entry */
4:  cmp rbx, rdx
    jae 5f
    movzx ecx, byte ptr [rbx + 1]   /* entry length */
    test ecx, ecx
    jz 5f
    cmp byte ptr [rbx], 0
    jne 6f
    test byte ptr [rbx + 4], 1
    jz 7f
    inc r13
    jmp 7f
6:  cmp byte ptr [rbx], 9
    jne 7f
    test byte ptr [rbx + 8], 1
    jz 7f
    inc r13
7:  add rbx, rcx
    jmp 4b
5:
    lea rsi, [rip + msg_banner]
    call puts
    mov rax, r13
    call putdec
    lea rsi, [rip + msg_vcpus]
    call puts
    mov rax, r12
    add rax, 0xfffff                /* round up: the EBDA hole makes RAM a little under the configured size */
    shr rax, 20
    call putdec
    lea rsi, [rip + msg_mib]
    call puts

    /* "hnest.reboot=1": reset the machine through the 8042, as Linux's reboot=k does. */
    lea rdi, [rip + reboot_key]
    call cmdline_flag
    jne 1f
    lea rsi, [rip + msg_rebooting]
    call puts
    mov al, 0xfe
    out 0x64, al
    jmp halt
1:
    /* "hnest.hold=1": stay up (idle in HLT with interrupts on) until the host stops the VM. */
    lea rdi, [rip + hold_key]
    call cmdline_flag
    jne 1f
    lea rsi, [rip + msg_holding]
    call puts
    call arm_power_button
2:  sti
    hlt
    jmp 2b
1:
    call acpi_poweroff
halt:
    cli
    hlt
    jmp halt

/* rdi -> NUL-terminated key (e.g. "hnest.bench="); returns in rsi a pointer just past the key in the command line
   (zero page 0x228), or 0 when the key is absent. */
find_cmdline_value:
    mov esi, [r15 + 0x228]
    test esi, esi
    jz 8f
1:  movzx eax, byte ptr [rsi]
    test eax, eax
    jz 8f
    xor ecx, ecx
2:  movzx edx, byte ptr [rdi + rcx]
    test edx, edx
    jz 3f                           /* key matched */
    cmp dl, [rsi + rcx]
    jne 4f
    inc ecx
    jmp 2b
4:  inc rsi
    jmp 1b
3:  add rsi, rcx
    ret
8:  xor esi, esi
    ret

/* rdi -> NUL-terminated key (e.g. "hnest.hold="); returns with ZF set when the command line gives it the value 1. */
cmdline_flag:
    call find_cmdline_value
    test rsi, rsi
    jz 1f
    cmp byte ptr [rsi], '1'
    ret
1:  or esi, 1                       /* absent: clear ZF */
    ret

/* Round trips to BENCH_PORT, as many as "hnest.bench=N" on the command line asks. */
run_benchmark:
    lea rdi, [rip + bench_key]
    call find_cmdline_value
    test rsi, rsi
    jz 9f
    xor ecx, ecx
5:  movzx eax, byte ptr [rsi]
    sub eax, '0'
    cmp eax, 9
    ja 6f
    imul rcx, rcx, 10
    add rcx, rax
    inc rsi
    jmp 5b
6:  mov dx, BENCH_PORT
7:  test rcx, rcx
    jz 9f
    out dx, al
    dec rcx
    jmp 7b
9:  ret

/* rdi -> 4-byte signature; returns the table's address in rax, or 0. Walks RSDP (zero page 0x70) -> XSDT. */
find_acpi_table:
    mov rax, [r15 + 0x70]
    test rax, rax
    jz 9f
    mov rax, [rax + 24]             /* RSDP.XsdtAddress */
    test rax, rax
    jz 9f
    mov ecx, [rax + 4]
    sub ecx, 36
    shr ecx, 3                      /* entries */
    lea rbx, [rax + 36]
    mov edx, [rdi]
1:  test ecx, ecx
    jz 8f
    mov rax, [rbx]
    cmp [rax], edx
    je 9f
    add rbx, 8
    dec ecx
    jmp 1b
8:  xor eax, eax
9:  ret

/* Makes the ACPI power button (the Generic Event Device's GSI 8) power the guest off: every IDT vector leads to
   power_button, the IOAPIC routes pin 8 to vector 0x30 on APIC 0, and the local APIC is software-enabled. */
arm_power_button:
    lea rdi, [rip + idt]
    lea rax, [rip + power_button]
    mov ecx, 256
1:  mov word ptr [rdi], ax          /* offset 15:0 */
    mov word ptr [rdi + 2], 0x10    /* __BOOT_CS */
    mov word ptr [rdi + 4], 0x8e00  /* present, DPL 0, 64-bit interrupt gate */
    mov rdx, rax
    shr rdx, 16
    mov word ptr [rdi + 6], dx      /* offset 31:16 */
    shr rdx, 16
    mov dword ptr [rdi + 8], edx    /* offset 63:32 */
    mov dword ptr [rdi + 12], 0
    add rdi, 16
    dec ecx
    jnz 1b
    lea rax, [rip + idt]
    mov [rip + idtr_base], rax
    lidt [rip + idtr]
    mov eax, 0xfee000f0             /* LAPIC spurious-interrupt vector register: enable, vector 0xff */
    mov dword ptr [rax], 0x1ff
    mov eax, 0xfec00000             /* IOAPIC IOREGSEL / IOWIN (+0x10) */
    mov dword ptr [rax], 0x21       /* redirection entry 8, high half: destination APIC 0 */
    mov dword ptr [rax + 0x10], 0
    mov dword ptr [rax], 0x20       /* low half: vector 0x30, fixed, edge, active high, unmasked */
    mov dword ptr [rax + 0x10], 0x30
    ret

power_button:
    lea rsi, [rip + msg_power_button]
    call puts
    call acpi_poweroff
    cli
    hlt
    jmp power_button

/* S5 through the FADT: PM1a control block (SLP_TYP << 10 | SLP_EN) if present, else the hardware-reduced
   sleep control register (SLP_TYP << 2 | SLP_EN). */
acpi_poweroff:
    lea rdi, [rip + sig_facp]
    call find_acpi_table
    test rax, rax
    jz 9f
    mov edx, [rax + 64]             /* PM1a_CNT_BLK */
    test edx, edx
    jz 1f
    mov ax, (S5_SLEEP_TYPE << 10) | (1 << 13)
    out dx, ax
    ret
1:  cmp dword ptr [rax + 4], 256    /* FADT long enough to hold SLEEP_CONTROL_REG (offset 244)? */
    jb 9f
    mov rdx, [rax + 248]            /* its address */
    test rdx, rdx
    jz 9f
    mov al, (S5_SLEEP_TYPE << 2) | (1 << 5)
    out dx, al
9:  ret

/* Prints the NUL-terminated string at rsi. */
puts:
    mov dx, COM1
1:  lodsb
    test al, al
    jz 2f
    out dx, al
    jmp 1b
2:  ret

/* Prints rax in decimal. */
putdec:
    lea rdi, [rip + numbuf_end]
    mov byte ptr [rdi], 0
    mov rcx, 10
1:  xor edx, edx
    div rcx
    add dl, '0'
    dec rdi
    mov [rdi], dl
    test rax, rax
    jnz 1b
    mov rsi, rdi
    jmp puts

sig_apic:   .ascii "APIC"
sig_facp:   .ascii "FACP"
bench_key:  .asciz "hnest.bench="
hold_key:   .asciz "hnest.hold="
reboot_key: .asciz "hnest.reboot="
msg_rebooting: .asciz "HyperNest built-in guest: rebooting (hnest.reboot=1)\n"
msg_holding: .asciz "HyperNest built-in guest: holding (hnest.hold=1)\n"
msg_power_button: .asciz "HyperNest built-in guest: power button pressed, powering off\n"
msg_banner: .asciz "HyperNest built-in guest: "
msg_vcpus:  .asciz " vCPU(s), "
msg_mib:    .asciz " MiB RAM\n"
numbuf:     .space 24
numbuf_end: .byte 0

    .balign 8
idtr:       .word 256 * 16 - 1
idtr_base:  .quad 0
    .balign 16
idt:        .space 256 * 16
stack:      .space 512
stack_top:
image_end:
