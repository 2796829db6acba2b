using System.Text.Json.Serialization;
using HyperNest.Vmm.Cpu;
using HyperNest.Vmm.Devices.InKernel;

namespace HyperNest.Vmm;

/// <summary>
/// Source-generated JSON (NativeAOT: no reflection) for the saved-state records of the VMM: a vCPU's
/// <see cref="VcpuState"/> and the in-kernel devices' <see cref="InKernelDevicesState"/>. byte[] blobs are base64.
/// A document that embeds these records can be generated in its own context; this one serves them alone.
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(VcpuState))]
[JsonSerializable(typeof(InKernelDevicesState))]
public sealed partial class SavedStateJsonContext : JsonSerializerContext;
