using System.Text.Json.Serialization;
using HyperNest.Vmm.Cpu;
using HyperNest.Vmm.Devices.InKernel;

namespace HyperNest.Vmm;

/// <summary>
/// Source-generated JSON (NativeAOT: no reflection) for the saved-state records of the VMM: a vCPU's
/// <see cref="VcpuState"/> and the in-kernel devices' <see cref="InKernelDevicesState"/>. byte[] blobs are base64.
/// A document that embeds these records can be generated in its own context; this one serves them alone.
/// <para>
/// Null properties are left out (<c>WhenWritingNull</c>): the generated fast path writes a null byte[] as "", which
/// reads back as an empty array, so a null <see cref="VcpuState.NestedState"/> would come back present. A context
/// that embeds these records needs the same option.
/// </para>
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(VcpuState))]
[JsonSerializable(typeof(InKernelDevicesState))]
public sealed partial class SavedStateJsonContext : JsonSerializerContext;
