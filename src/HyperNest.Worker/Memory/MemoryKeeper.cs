using HyperNest.Management.Memory;
using HyperNest.Management.Model;
using HyperNest.Management.Store;

namespace HyperNest.Worker.Memory;

/// <summary>
/// A running VM's <see cref="DynamicMemory"/> on its control thread, and where its reports go: memory.json in a
/// managed VM's folder (Get-VM and the other workers read it), nowhere for a foreground VM.
/// </summary>
internal sealed class MemoryKeeper(DynamicMemory memory, Action<VmMemoryReport>? publish)
{
    public VmMemoryReport? Last => memory.Last;

    public void Tick() => publish?.Invoke(memory.Tick(DateTimeOffset.UtcNow));

    /// <exception cref="Management.VmOperationException">The guest cannot take the new settings.</exception>
    public VmMemoryReport Change(VmMemorySettings next)
    {
        VmMemoryReport report = memory.Change(next, DateTimeOffset.UtcNow);
        publish?.Invoke(report);
        return report;
    }

    /// <summary>For a VM in <paramref name="store"/>: reports to its memory.json, peers from the other VMs' files.</summary>
    public static MemoryKeeper Managed(VmStore store, Guid id, VmMemorySettings settings, IGuestMemoryDevices devices)
    {
        VmFolder folder = store.Folder(id);
        var memory = new DynamicMemory(id.ToString(), settings, devices, new ProcHostMemory(), () => Peers(store, id));
        return new MemoryKeeper(memory, report => report.Write(store.Writer, folder));
    }

    /// <summary>A VM outside any store (hnest run, the worker inside an emulated host): no peers, no file.</summary>
    public static MemoryKeeper Alone(VmMemorySettings settings, IGuestMemoryDevices devices) =>
        new(new DynamicMemory("this", settings, devices, new ProcHostMemory(), () => []), null);

    private static IReadOnlyList<VmMemoryReport> Peers(VmStore store, Guid self)
    {
        if (!Directory.Exists(store.VmsDirectory))
        {
            return [];
        }

        var reports = new List<VmMemoryReport>();
        foreach (string path in Directory.EnumerateDirectories(store.VmsDirectory))
        {
            if (Guid.TryParse(Path.GetFileName(path), out Guid id) && id != self && VmMemoryReport.Read(store.Folder(id)) is { } report)
            {
                reports.Add(report);
            }
        }

        return reports;
    }
}
