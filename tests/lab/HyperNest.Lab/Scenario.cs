using System.Globalization;

namespace HyperNest.Lab;

/// <summary>
/// A lab scenario: tests/lab/scenarios/&lt;name&gt;.sh, run by the lab host's init. Comment lines near the top
/// state what it needs: <c># lab-needs: hnest</c> carries /lab/hnest, /lab/vmlinuz and /lab/guest-initrd.img;
/// <c># lab-needs: hnest nested-guest</c> also /lab/nested-guest-initrd.img (a guest that carries hnest itself);
/// <c># lab-needs: qemu</c> carries the host's qemu-system-x86_64 with its libraries and firmware under /lab/qemu
/// (the benchmark's baseline); <c># lab-needs: qemu-img</c> carries the host's qemu-img as /lab/qemu-img (the disk images' oracle);
/// <c># lab-timeout: 300</c> sets how long the whole lab run may take, in seconds.
/// </summary>
public sealed record Scenario(string Name, string Script, bool NeedsHnest, TimeSpan Timeout, bool NeedsNestedGuest = false, bool NeedsQemu = false, bool NeedsQemuImg = false)
{
    public const string NeedsDirective = "# lab-needs:";
    public const string TimeoutDirective = "# lab-timeout:";
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public static Scenario Load(LabPaths paths, string name)
    {
        string file = Path.Combine(paths.Scenarios, $"{name}.sh");
        if (!File.Exists(file))
        {
            string known = string.Join(", ", Directory.GetFiles(paths.Scenarios, "*.sh").Select(Path.GetFileNameWithoutExtension).Order());
            throw new LabException($"no scenario {file} (known: {known})");
        }

        return Parse(name, File.ReadAllText(file));
    }

    internal static Scenario Parse(string name, string script)
    {
        bool needsHnest = false, needsNestedGuest = false, needsQemu = false, needsQemuImg = false;
        TimeSpan timeout = DefaultTimeout;
        foreach (string line in script.Split('\n').Select(l => l.Trim()))
        {
            if (line.StartsWith(NeedsDirective, StringComparison.Ordinal))
            {
                string[] needs = line[NeedsDirective.Length..].Split(' ', ',');
                needsHnest |= needs.Contains("hnest");
                needsNestedGuest |= needs.Contains("nested-guest");
                needsQemu |= needs.Contains("qemu");
                needsQemuImg |= needs.Contains("qemu-img");
            }
            else if (line.StartsWith(TimeoutDirective, StringComparison.Ordinal))
            {
                timeout = TimeSpan.FromSeconds(int.Parse(line[TimeoutDirective.Length..].Trim(), CultureInfo.InvariantCulture));
            }
        }

        return new Scenario(name, script, needsHnest || needsNestedGuest, timeout, needsNestedGuest, needsQemu, needsQemuImg);
    }
}
