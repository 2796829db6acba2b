using HyperNest.Kvm;
using HyperNest.Vmm.Cpu;
using HyperNest.Vmm.Devices;
using HyperNest.Vmm.Devices.InKernel;
using HyperNest.Vmm.Devices.Virtio;
using HyperNest.Vmm.SavedStates;

namespace HyperNest.Vmm;

/// <summary>Save and restore: a paused VM to a state file and a memory file, and back into a new process.</summary>
public sealed partial class VirtualMachine
{
    /// <summary>
    /// Writes the paused VM to <paramref name="memoryPath"/> (first: the larger, slower file) and
    /// <paramref name="statePath"/> (last, atomically: a state file exists only with its memory file complete).
    /// Both are made no wider than <paramref name="access"/>. Returns the bytes of memory data written. The VM stays
    /// paused; the caller ends or resumes it. Throws <see cref="InvalidOperationException"/> unless every vCPU is
    /// paused, <see cref="IOException"/> when a file cannot be written (neither is left behind then).
    /// </summary>
    public long Save(string statePath, string memoryPath, HostFileAccess access)
    {
        var saveId = Guid.NewGuid();
        VmSavedState state = CaptureState(saveId);
        long written = GuestMemoryFile.Write(memoryPath, saveId, Memory, access);
        try
        {
            SavedStateFile.Write(statePath, state, access);
        }
        catch
        {
            File.Delete(memoryPath);
            throw;
        }

        return written;
    }

    /// <summary>The state of the paused VM, but its memory; throws <see cref="InvalidOperationException"/> if a vCPU runs.</summary>
    public VmSavedState CaptureState(Guid saveId) => new()
    {
        SaveId = saveId,
        SavedAt = DateTimeOffset.UtcNow,
        Machine = SavedMachine.Of(Config),
        Layout = Layout.Virtio,
        // vCPUs first: Save refuses a running vCPU before anything else is read.
        Vcpus = [.. _vcpus.Select(vcpu => vcpu.Save())],
        Console = Console.Save(),
        Keyboard = _keyboard!.Save(),
        AcpiPm = _acpiPm!.Save(),
        Virtio = [.. _virtio.Select(v => new VirtioDeviceSavedState
        {
            Transport = v.Transport.Save(),
            Balloon = (v.Device as Devices.Virtio.Balloon)?.Save(),
            Mem = (v.Device as Mem)?.Save(),
        })],
        InKernel = InKernelDevices.Save(_vm),
    };

    /// <summary>
    /// Builds the VM <paramref name="state"/> was saved from, with <paramref name="memory"/> as its memory (mapped
    /// copy-on-write: nothing is read before the guest touches it), and puts every device and vCPU back: no kernel
    /// is loaded and no ACPI table written. <paramref name="config"/> must describe the same machine (its
    /// <see cref="VmConfig.HotplugMemoryBytes"/> the saved one); its network adapters carry the new backends.
    /// <see cref="Run"/> then continues the guest where it was saved.
    /// </summary>
    /// <exception cref="SavedStateException">The configuration differs from the saved machine, or a saved piece is one the device or KVM refuses.</exception>
    /// <exception cref="VmBuildException">A disk or adapter cannot be opened now.</exception>
    public static VirtualMachine Restore(VmConfig config, Stream consoleOutput, VmSavedState state, GuestMemoryFile memory)
    {
        if (state.Machine.Difference(config) is { } difference)
        {
            throw new SavedStateException($"the saved state does not fit the VM any more: {difference}");
        }

        if (memory.BootBytes != config.MemoryBytes || memory.HotplugBytes != config.HotplugMemoryBytes || state.Vcpus.Count != config.VcpuCount)
        {
            throw new SavedStateException("the saved state's memory or vCPUs do not match its machine");
        }

        EnsureDevicesValid(config);
        if (!DeviceLayout.For(config).Virtio.SequenceEqual(state.Layout) || state.Virtio.Count != state.Layout.Count)
        {
            throw new SavedStateException("the saved state's devices are not where this HyperNest puts them for the VM");
        }

        return Assemble(config, consoleOutput, memory.Map, machine => machine.RestoreFrom(state));
    }

    private void RestoreFrom(VmSavedState state)
    {
        _ = BuildPlatform();
        try
        {
            Console.Restore(state.Console);
            _keyboard!.Restore(state.Keyboard);
            _acpiPm!.Restore(state.AcpiPm);
            for (int i = 0; i < _virtio.Count; i++)
            {
                RestoreVirtio(_virtio[i].Transport, _virtio[i].Device, state.Virtio[i]);
            }

            InKernelDevices.Restore(_vm, state.InKernel);
            for (uint id = 0; id < (uint)Config.VcpuCount; id++)
            {
                var vcpu = new Vcpu(_vm.CreateVcpu(id), Pio, Mmio, this);
                _vcpus.Add(vcpu);
                vcpu.Restore(state.Vcpus[(int)id]);
            }
        }
        catch (InvalidDataException e)
        {
            throw new SavedStateException($"the saved state cannot be restored: {e.UserMessage()}");
        }
        catch (KvmException e)
        {
            throw new SavedStateException($"KVM refused the saved state: {e.UserMessage()}");
        }

        // What the driver made available while the VM was being saved (a notification the old process held).
        foreach ((_, MmioTransport transport, _) in _virtio)
        {
            transport.ServeAllQueues();
        }
    }

    private static void RestoreVirtio(MmioTransport transport, IVirtioDevice device, VirtioDeviceSavedState saved)
    {
        transport.Restore(saved.Transport);
        switch (device)
        {
            case Devices.Virtio.Balloon balloon when saved.Balloon is { } state:
                balloon.Restore(state);
                break;
            case Mem mem when saved.Mem is { } state:
                mem.Restore(state);
                break;
            case Devices.Virtio.Balloon or Mem:
                throw new InvalidDataException($"the saved {device.DeviceType} device has no state of its own");
        }
    }
}
