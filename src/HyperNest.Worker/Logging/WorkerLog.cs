using HyperNest.Management.Worker;
using Microsoft.Extensions.Logging;

namespace HyperNest.Worker;

/// <summary>
/// What a worker writes to its VM's worker.log (shown by <c>hnest vm log</c>), as source-generated log methods with
/// fixed event ids, so the lines can be searched for by id. Nothing here is on a vCPU's exit path: a worker logs
/// its start, the accelerator and why, the emulated host's steps, control requests that change state, and the end.
/// </summary>
internal static partial class WorkerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "starting {Vm}: {VcpuCount} vCPU(s), {MemoryMiB} MiB, {DiskCount} disk(s), kernel {Kernel}, nested {Nested}")]
    public static partial void Starting(ILogger logger, string vm, int vcpuCount, ulong memoryMiB, int diskCount, string kernel, bool nested);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "accelerator {Accelerator} (setting {Setting}){Why}")]
    public static partial void AcceleratorChosen(ILogger logger, string accelerator, string setting, string why);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "emulated host: {Step}")]
    public static partial void EmulatedHostStep(ILogger logger, string step);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "emulated host started: QEMU pid {QemuPid}, its console in {LogPath}")]
    public static partial void EmulatedHostStarted(ILogger logger, int qemuPid, string logPath);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "running: control socket {Socket}")]
    public static partial void Running(ILogger logger, string socket);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "request: {Request}")]
    public static partial void Request(ILogger logger, string request);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "state: {State}")]
    public static partial void StateChanged(ILogger logger, string state);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "the guest did not power off within {Seconds} s of the power button; it keeps running")]
    public static partial void ShutdownTimedOut(ILogger logger, int seconds);

    [LoggerMessage(EventId = 9, Level = LogLevel.Error, Message = WorkerLogText.FailedToStart + "{Reason}")]
    public static partial void FailedToStart(ILogger logger, string reason);

    [LoggerMessage(EventId = 10, Level = LogLevel.Error, Message = "the guest faulted: {Reason}")]
    public static partial void GuestFault(ILogger logger, string reason);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "ended: {Reason}")]
    public static partial void Ended(ILogger logger, string reason);

    [LoggerMessage(EventId = 12, Level = LogLevel.Error, Message = "the emulated host ended: {Reason}")]
    public static partial void EmulatedHostEnded(ILogger logger, string reason);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "inside the emulated host: {Line}")]
    public static partial void InnerMessage(ILogger logger, string line);

    [LoggerMessage(EventId = 14, Level = LogLevel.Information, Message = "network adapter {Adapter}: port {HostInterface} on {Where}, MAC address spoofing {Spoofing}")]
    public static partial void AdapterPort(ILogger logger, string adapter, string hostInterface, string where, string spoofing);

    [LoggerMessage(EventId = 15, Level = LogLevel.Information, Message = "network adapter {Adapter} now on {Where}, MAC address spoofing {Spoofing}")]
    public static partial void AdapterChanged(ILogger logger, string adapter, string where, string spoofing);

    [LoggerMessage(EventId = 16, Level = LogLevel.Warning, Message = "refused a {Request} request on the control socket from uid {Uid} (pid {Pid}): the worker takes requests only from {Admitted}")]
    public static partial void ControlRefused(ILogger logger, string request, uint uid, int pid, string admitted);

    [LoggerMessage(EventId = 17, Level = LogLevel.Information, Message = "memory settings now {Settings}")]
    public static partial void MemoryChanged(ILogger logger, string settings);

    [LoggerMessage(EventId = 18, Level = LogLevel.Warning, Message = "memory settings {Settings} refused: {Reason}")]
    public static partial void MemoryRefused(ILogger logger, string settings, string reason);

    [LoggerMessage(EventId = 19, Level = LogLevel.Information, Message = "saved: {MemoryMiB} MiB of memory data written; paused in {PauseMs} ms, saved in {TotalMs} ms")]
    public static partial void Saved(ILogger logger, long memoryMiB, long pauseMs, long totalMs);

    [LoggerMessage(EventId = 20, Level = LogLevel.Error, Message = "the save failed, the VM goes on as it was: {Reason}")]
    public static partial void SaveFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "restored from its saved state of {SavedAt:u} in {Milliseconds} ms")]
    public static partial void Restored(ILogger logger, DateTimeOffset savedAt, long milliseconds);

    [LoggerMessage(EventId = 22, Level = LogLevel.Information, Message = "checkpoint: {MemoryMiB} MiB of memory data written, {Disks} disk(s) now on new overlays; paused for {PauseMs} ms")]
    public static partial void Checkpointed(ILogger logger, long memoryMiB, int disks, long pauseMs);

    [LoggerMessage(EventId = 23, Level = LogLevel.Error, Message = "the checkpoint failed and was undone, the VM goes on as it was: {Reason}")]
    public static partial void CheckpointFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 24, Level = LogLevel.Information, Message = "disk {Disk}: '{Overlay}' merged into '{Into}'; paused for {PauseMs} ms")]
    public static partial void DiskMerged(ILogger logger, int disk, string overlay, string into, long pauseMs);

    [LoggerMessage(EventId = 25, Level = LogLevel.Error, Message = "disk {Disk}: the merge of '{Overlay}' failed, the disk is as it was: {Reason}")]
    public static partial void DiskMergeFailed(ILogger logger, int disk, string overlay, string reason);

    [LoggerMessage(EventId = 26, Level = LogLevel.Information, Message = "{Why}: the VM starts again (same settings, disks and ports)")]
    public static partial void Restarting(ILogger logger, string why);

    [LoggerMessage(EventId = 27, Level = LogLevel.Error, Message = "the VM could not start again after its reset: {Reason}")]
    public static partial void RestartFailed(ILogger logger, string reason);
}
