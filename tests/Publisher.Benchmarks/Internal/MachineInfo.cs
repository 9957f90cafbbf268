using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace Publisher.Benchmarks.Internal;

/// <summary>The machine a run happened on, read from /proc where Linux has it.</summary>
internal sealed record MachineInfo(string Cpu, int Cores, string Memory, string OperatingSystem, string DotNet, string Date)
{
    public static MachineInfo Read(DateTimeOffset now) => new(
        Cpu: ProcField("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
        Cores: System.Environment.ProcessorCount,
        Memory: MemTotal() ?? "unknown",
        OperatingSystem: OsName(),
        DotNet: RuntimeInformation.FrameworkDescription + " (" + RuntimeInformation.RuntimeIdentifier + ")",
        Date: now.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));

    public IEnumerable<(string Name, string Value)> Rows() =>
    [
        ("CPU", Cpu),
        ("Cores", Cores.ToString(CultureInfo.InvariantCulture)),
        ("RAM", Memory),
        ("OS", OperatingSystem),
        (".NET", DotNet),
        ("Date", Date),
    ];

    public JsonObject ToJson() => new()
    {
        ["cpu"] = Cpu,
        ["cores"] = Cores,
        ["memory"] = Memory,
        ["os"] = OperatingSystem,
        ["dotnet"] = DotNet,
        ["date"] = Date,
    };

    private static string? ProcField(string file, string field)
    {
        try
        {
            foreach (var line in File.ReadLines(file))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0 && line[..colon].Trim() == field)
                {
                    return line[(colon + 1)..].Trim();
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not Linux: the fallback describes the machine less precisely.
        }

        return null;
    }

    private static string? MemTotal()
    {
        // "MemTotal:       24567890 kB"
        var value = ProcField("/proc/meminfo", "MemTotal");
        if (value is null || !long.TryParse(value.Split(' ')[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var kilobytes))
        {
            return null;
        }

        return (kilobytes / (1024.0 * 1024.0)).ToString("0.0", CultureInfo.InvariantCulture) + " GiB";
    }

    private static string OsName()
    {
        try
        {
            foreach (var line in File.ReadLines("/etc/os-release"))
            {
                if (line.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
                {
                    var kernel = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : null;
                    return line["PRETTY_NAME=".Length..].Trim('"') + (kernel is null ? string.Empty : ", Linux " + kernel);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No os-release: the kernel description alone.
        }

        return RuntimeInformation.OSDescription;
    }
}
