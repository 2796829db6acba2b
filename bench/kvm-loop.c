/*
 * The baseline for HyperNest's exit round-trip benchmark: the smallest C VMM that runs the built-in guest's
 * benchmark loop. It loads the same bzImage, enters it in long mode the same way, and runs KVM_RUN until the guest
 * writes its first byte to COM1 (the banner, printed after the "hnest.bench=N" round trips to port 0x3fe0).
 * Usage: kvm-loop GUEST_IMAGE N        Prints the number of benchmark exits seen.
 */
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define MEM_SIZE (64u << 20)
#define ZERO_PAGE 0x7000
#define CMDLINE 0x20000
#define PML4 0x9000
#define PDPT 0xA000
#define PD 0xB000
#define GDT 0x500
#define KERNEL 0x100000

static void die(const char *what) { perror(what); exit(1); }

int main(int argc, char **argv)
{
    if (argc != 3) { fprintf(stderr, "usage: %s GUEST_IMAGE N\n", argv[0]); return 2; }
    FILE *f = fopen(argv[1], "rb");
    if (!f) die("guest image");
    static uint8_t image[1 << 20];
    size_t size = fread(image, 1, sizeof image, f);
    fclose(f);

    int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (kvm < 0) die("/dev/kvm");
    int vm = ioctl(kvm, KVM_CREATE_VM, 0);
    if (vm < 0) die("KVM_CREATE_VM");
    ioctl(vm, KVM_SET_TSS_ADDR, 0xfffbd000);
    if (ioctl(vm, KVM_CREATE_IRQCHIP, 0) < 0) die("KVM_CREATE_IRQCHIP");
    uint8_t *mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mem == MAP_FAILED) die("mmap");
    struct kvm_userspace_memory_region region = { .slot = 0, .guest_phys_addr = 0, .memory_size = MEM_SIZE,
                                                  .userspace_addr = (uint64_t)mem };
    if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0) die("KVM_SET_USER_MEMORY_REGION");

    size_t setup = (size_t)((image[0x1f1] ? image[0x1f1] : 4) + 1) * 512;
    memcpy(mem + KERNEL, image + setup, size - setup);
    memcpy(mem + ZERO_PAGE + 0x1f1, image + 0x1f1, 0x202 + image[0x201] - 0x1f1);
    snprintf((char *)mem + CMDLINE, 64, "hnest.bench=%s", argv[2]);
    *(uint32_t *)(mem + ZERO_PAGE + 0x228) = CMDLINE;

    uint64_t *pml4 = (uint64_t *)(mem + PML4), *pdpt = (uint64_t *)(mem + PDPT), *pd = (uint64_t *)(mem + PD);
    pml4[0] = PDPT | 3;
    pdpt[0] = PD | 3;
    for (uint64_t i = 0; i < 512; i++) pd[i] = (i << 21) | 0x83;
    uint64_t *gdt = (uint64_t *)(mem + GDT);
    gdt[2] = 0x00AF9B000000FFFFull;
    gdt[3] = 0x00CF93000000FFFFull;

    int vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
    if (vcpu < 0) die("KVM_CREATE_VCPU");
    int run_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
    struct kvm_run *run = mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
    if (run == MAP_FAILED) die("mmap kvm_run");

    struct kvm_cpuid2 *cpuid = calloc(1, sizeof *cpuid + 256 * sizeof(struct kvm_cpuid_entry2));
    cpuid->nent = 256;
    if (ioctl(kvm, KVM_GET_SUPPORTED_CPUID, cpuid) < 0) die("KVM_GET_SUPPORTED_CPUID");
    if (ioctl(vcpu, KVM_SET_CPUID2, cpuid) < 0) die("KVM_SET_CPUID2");

    struct kvm_sregs sregs;
    if (ioctl(vcpu, KVM_GET_SREGS, &sregs) < 0) die("KVM_GET_SREGS");
    struct kvm_segment code = { .base = 0, .limit = 0xffffffff, .selector = 0x10, .type = 11, .present = 1,
                                .s = 1, .l = 1, .g = 1 };
    struct kvm_segment data = code;
    data.selector = 0x18; data.type = 3; data.l = 0; data.db = 1;
    sregs.cs = code;
    sregs.ds = sregs.es = sregs.fs = sregs.gs = sregs.ss = data;
    sregs.gdt.base = GDT; sregs.gdt.limit = 4 * 8 - 1;
    sregs.cr0 = (sregs.cr0 | 0x80000011) & ~0x60000000ull;
    sregs.cr3 = PML4;
    sregs.cr4 |= 0x20;
    sregs.efer |= 0x500;
    if (ioctl(vcpu, KVM_SET_SREGS, &sregs) < 0) die("KVM_SET_SREGS");
    struct kvm_regs regs = { .rip = KERNEL + 0x200, .rsi = ZERO_PAGE, .rsp = 0x8ff0, .rflags = 2 };
    if (ioctl(vcpu, KVM_SET_REGS, &regs) < 0) die("KVM_SET_REGS");

    unsigned long exits = 0;
    for (;;) {
        if (ioctl(vcpu, KVM_RUN, 0) < 0) die("KVM_RUN");
        if (run->exit_reason == KVM_EXIT_IO && run->io.direction == KVM_EXIT_IO_OUT) {
            if (run->io.port == 0x3fe0) { exits++; continue; }
            if (run->io.port == 0x3f8) break;
        } else if (run->exit_reason != KVM_EXIT_IO) {
            fprintf(stderr, "unexpected exit %u\n", run->exit_reason);
            return 1;
        }
    }
    printf("%lu\n", exits);
    return 0;
}
