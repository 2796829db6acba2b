using System.Text.Json.Serialization;
using HyperNest.Management.Model;

namespace HyperNest.Management.Worker;

/// <summary>
/// One line of JSON to a worker: a typed request, told apart by its "command" property. <see cref="Version"/> is the
/// protocol's: a worker answers a request of another version with an error instead of guessing.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "command")]
[JsonDerivedType(typeof(StatusRequest), "status")]
[JsonDerivedType(typeof(PauseRequest), "pause")]
[JsonDerivedType(typeof(ResumeRequest), "resume")]
[JsonDerivedType(typeof(ShutdownRequest), "shutdown")]
[JsonDerivedType(typeof(TurnOffRequest), "turnOff")]
[JsonDerivedType(typeof(ResetRequest), "reset")]
[JsonDerivedType(typeof(InputRequest), "input")]
[JsonDerivedType(typeof(NetworkAdapterRequest), "networkAdapter")]
[JsonDerivedType(typeof(MemoryRequest), "memory")]
[JsonDerivedType(typeof(SaveRequest), "save")]
[JsonDerivedType(typeof(CheckpointRequest), "checkpoint")]
[JsonDerivedType(typeof(MergeDiskRequest), "mergeDisk")]
[JsonDerivedType(typeof(MeteringRequest), "metering")]
public abstract record ControlRequest
{
    /// <summary>2: typed requests, ids, events (1 was an enum plus optional fields).</summary>
    public const int CurrentVersion = 2;

    public int Version { get; init; } = CurrentVersion;

    /// <summary>Pairs the answer with its request where one channel carries several (the emulated host's port).</summary>
    public long? Id { get; init; }

    /// <summary>The request's name in messages ("pause", "turn off").</summary>
    [JsonIgnore]
    public abstract string Description { get; }
}

/// <summary>Answers with the VM's state.</summary>
public sealed record StatusRequest : ControlRequest
{
    public override string Description => "status";
}

/// <summary>Measure-VM: answers with the VM's resource use since its run began (<see cref="VmMeteringReport"/>).</summary>
public sealed record MeteringRequest : ControlRequest
{
    public override string Description => "metering";
}

/// <summary>Pauses every vCPU (Suspend-VM).</summary>
public sealed record PauseRequest : ControlRequest
{
    public override string Description => "pause";
}

/// <summary>Resumes paused vCPUs (Resume-VM).</summary>
public sealed record ResumeRequest : ControlRequest
{
    public override string Description => "resume";
}

/// <summary>Presses the ACPI power button; the VM shows Stopping until the guest powers off or the timeout passes.</summary>
public sealed record ShutdownRequest : ControlRequest
{
    public int TimeoutSeconds { get; init; } = 30;

    /// <summary>
    /// At the timeout, cut the power (hnest run's SIGTERM) instead of leaving the guest running (Stop-VM, which then
    /// fails or, with -Force, turns the VM off itself).
    /// </summary>
    public bool CutPowerAtTimeout { get; init; }

    public override string Description => "shut down";
}

/// <summary>
/// Save-VM: pauses the VM, writes its state and memory to the VM's saved-state files and ends the run; a failed save
/// resumes it as it was and answers with the error.
/// </summary>
public sealed record SaveRequest : ControlRequest
{
    public override string Description => "save";
}

/// <summary>Cuts the power.</summary>
public sealed record TurnOffRequest : ControlRequest
{
    /// <summary>Why, in the words the VM's end is reported with; "turned off (power cut requested by the host)" by default.</summary>
    public string? Reason { get; init; }

    public override string Description => "turn off";
}

/// <summary>
/// A hard reset (Restart-VM, hnest vm restart): the guest is cut off as by a power cut and the VM boots again in the
/// same worker with the same settings, disks and ports, Running throughout; its console log continues.
/// </summary>
public sealed record ResetRequest : ControlRequest
{
    public override string Description => "reset";
}

/// <summary>Bytes for the guest's serial console (base64 on the wire).</summary>
public sealed record InputRequest : ControlRequest
{
    public required byte[] Data { get; init; }

    public override string Description => "console input";
}

/// <summary>
/// Applies one network adapter's port settings to the running VM at once (Set-VMNetworkAdapter -MacAddressSpoofing,
/// Connect-/Disconnect-VMNetworkAdapter while the VM runs). The worker answers with the adapters' status.
/// </summary>
public sealed record NetworkAdapterRequest : ControlRequest
{
    /// <summary>The adapter's name in the VM's configuration ("Network Adapter").</summary>
    public required string Adapter { get; init; }

    public bool MacAddressSpoofing { get; init; }

    /// <summary>The virtual switch the adapter is to be on; null disconnects it (the guest sees its link go down).</summary>
    public string? SwitchName { get; init; }

    /// <summary>The Linux bridge of <see cref="SwitchName"/>, made sure of by the caller; null when disconnecting.</summary>
    public string? Bridge { get; init; }

    public override string Description => "network adapter";
}

/// <summary>
/// The VM's memory settings changed while it runs (Set-VMMemory, hnest vm set-memory): the worker takes them as its
/// Dynamic Memory claim, or as the new size of a static VM, and moves the guest toward its new target at once. The
/// caller has checked them against <see cref="Model.RuntimeMemoryRules"/>. The worker answers with its memory report.
/// </summary>
public sealed record MemoryRequest : ControlRequest
{
    public required VmMemorySettings Memory { get; init; }

    public override string Description => "memory";
}

/// <summary>
/// Checkpoint-VM of a running or paused VM: pause, write its state and memory to <see cref="StateFile"/> and
/// <see cref="MemoryFile"/>, freeze each disk of <see cref="Disks"/> behind a new qcow2 overlay and serve the overlay
/// from now on, resume. All or nothing: a failure puts every disk back, deletes what was made and resumes the VM.
/// </summary>
public sealed record CheckpointRequest : ControlRequest
{
    public required string StateFile { get; init; }

    public required string MemoryFile { get; init; }

    /// <summary>The disks to freeze (read-only disks are not), each with its new overlay.</summary>
    public required IReadOnlyList<CheckpointDisk> Disks { get; init; }

    public override string Description => "checkpoint";
}

/// <summary>Disk <see cref="Index"/> (the VM's order), now the image <see cref="Image"/>, gets the overlay <see cref="Overlay"/>.</summary>
public sealed record CheckpointDisk(int Index, string Image, string Overlay);

/// <summary>
/// Remove-VMSnapshot where the merge touches a running VM's disk chain: with disk <see cref="Disk"/> closed, commit
/// <see cref="Overlay"/> into <see cref="Into"/>, re-point <see cref="Rebase"/> to it, and serve the disk again
/// (from <see cref="Into"/> when <see cref="Overlay"/> was the disk itself).
/// </summary>
public sealed record MergeDiskRequest : ControlRequest
{
    public required int Disk { get; init; }

    public required string Overlay { get; init; }

    public required string Into { get; init; }

    public required Vmm.Disks.DiskFormat IntoFormat { get; init; }

    // `?? default` in init: a member a file or message leaves out takes its default, not null (System.Text.Json's
    // generated code sets every init-only member, passing null for a missing one).
    public IReadOnlyList<string> Rebase { get; init => field = value ?? []; } = [];

    public override string Description => "disk merge";
}
