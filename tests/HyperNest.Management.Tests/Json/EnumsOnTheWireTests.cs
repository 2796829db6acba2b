using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using HyperNest.Management.Worker;
using HyperNest.Vmm.SavedStates;

namespace HyperNest.Management.Tests.Json;

/// <summary>
/// Every enum HyperNest reads from outside (config.json, host.json and the checkpoint tree; the control protocol's
/// messages; saved-state files) is read by its names only: a number, a name the enum does not define, or a list of
/// names (but for a [Flags] enum's defined names) is refused as the file's or message's error, so no value the code does not know reaches it (a VM state 7, a
/// disk format 9). Found by the control-protocol fuzz target (an answer with "state":7).
/// </summary>
public sealed class EnumsOnTheWireTests
{
    public static TheoryData<string> Enums()
    {
        var data = new TheoryData<string>();
        foreach (Type type in Reachable().Select(r => r.Enum).Distinct().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            data.Add(type.FullName!);
        }

        return data;
    }

    [Fact]
    public void The_Walk_Finds_The_Enums_Of_Every_Context()
    {
        var found = Reachable().Select(r => r.Enum).ToHashSet();

        Assert.Contains(typeof(HyperNest.Management.Model.VmState), found);
        Assert.Contains(typeof(HyperNest.Vmm.Disks.DiskFormat), found);
    }

    [Theory]
    [MemberData(nameof(Enums))]
    public void Each_Defined_Name_Reads_Back_And_Nothing_Else_Does(string enumName)
    {
        foreach ((JsonSerializerContext context, Type type) in Reachable().Where(r => r.Enum.FullName == enumName))
        {
            JsonTypeInfo info = context.GetTypeInfo(type)!;
            foreach (object value in Enum.GetValues(type))
            {
                string json = JsonSerializer.Serialize(value, info);
                Assert.Equal($"\"{Enum.GetName(type, value)}\"", json);
                Assert.Equal(value, JsonSerializer.Deserialize(json, info));
            }

            long undefined = Enum.GetValues(type).Cast<object>().Select(Convert.ToInt64).Aggregate((a, b) => a | b) + 1;
            string[] names = Enum.GetNames(type);
            bool flags = type.IsDefined(typeof(FlagsAttribute), false);
            if (flags)
            {
                Assert.Equal(Enum.Parse(type, $"{names[1]}, {names[2]}"), JsonSerializer.Deserialize($"\"{names[1]}, {names[2]}\"", info));
            }

            string list = $"\"{names[0]}, {names[1]}\"";
            foreach (string json in new[] { $"{undefined}", "0", $"\"{undefined}\"", "\"NoSuchName\"", "\"\"", "true", "null", "{}", "[1]", $"\"{new string('x', 100_000)}\"", "\"Off\\nRunning\"", flags ? $"\"{names[1]}, 1\"" : list })
            {
                var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, info));
                Assert.DoesNotContain("System.", error.Message, StringComparison.Ordinal);
                Assert.DoesNotContain(error.Message, char.IsControl);
                Assert.True(error.Message.Length < 400, error.Message);
            }
        }
    }

    /// <summary>The enums in the type graphs of the contexts that read outside input, each with its context.</summary>
    private static IEnumerable<(JsonSerializerContext Context, Type Enum)> Reachable()
    {
        JsonSerializerContext[] contexts = [ControlJsonContext.Default, ManagementJsonContext.Default, SavedStateJsonContext.Default];
        foreach (JsonSerializerContext context in contexts)
        {
            var seen = new HashSet<Type>();
            var pending = new Stack<Type>(context.GetType().GetCustomAttributesData()
                .Where(a => a.AttributeType == typeof(JsonSerializableAttribute))
                .Select(a => (Type)a.ConstructorArguments[0].Value!));
            while (pending.TryPop(out Type? type))
            {
                type = Nullable.GetUnderlyingType(type) ?? type;
                if (!seen.Add(type) || context.GetTypeInfo(type) is not { } info)
                {
                    continue;
                }

                if (type.IsEnum)
                {
                    yield return (context, type);
                    continue;
                }

                foreach (Type next in info.Properties.Select(p => p.PropertyType)
                    .Concat(info.ElementType is { } element ? [element] : [])
                    .Concat(info.KeyType is { } key ? [key] : [])
                    .Concat(info.PolymorphismOptions?.DerivedTypes.Select(d => d.DerivedType) ?? []))
                {
                    pending.Push(next);
                }
            }
        }
    }
}
