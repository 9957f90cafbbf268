using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace Publisher.Benchmarks.Internal;

/// <summary>The machine a run happened on, read from /proc where Linux has it.</summary>
internal sealed record MachineInfo(string Cpu, int Cores, string Memory, string OperatingSystem, string DotNet, string Date)
{
    public static MachineInfo Read(DateTimeOffset now) => new(
        Cpu: ProcFiles.Field("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
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

    private static string? MemTotal() =>
        ProcFiles.Bytes("/proc/meminfo", "MemTotal") is { } bytes
            ? (bytes / (1024.0 * 1024.0 * 1024.0)).ToString("0.0", CultureInfo.InvariantCulture) + " GiB"
            : null;

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
