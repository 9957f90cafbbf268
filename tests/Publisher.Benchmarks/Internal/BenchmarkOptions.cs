using System.Globalization;

namespace Publisher.Benchmarks.Internal;

/// <summary>The parsed command line: which suites, which size, where results go, which binaries to run.</summary>
internal sealed record BenchmarkOptions
{
    public static readonly string[] AllSuites = ["cold-start", "warm", "memory", "batch", "fanout"];

    public const string Usage = """
        Usage: dotnet run -c Release --project tests/Publisher.Benchmarks -- [all | SUITE...] [options]

        Suites: cold-start, warm, memory, batch, fanout (default: all)
        Options:
          --smoke                 tiny sizes; without bootstrap paths it runs `dotnet Publisher.Function.dll`
                                  as the non-AOT side and skips AOT (nothing is published)
          --out DIR               results folder (default: BenchmarkResults/<yyyyMMdd-HHmmss>)
          --aot-bootstrap PATH    a prebuilt Native AOT bootstrap (default: publish into .artifacts/bench/aot)
          --jit-bootstrap PATH    a prebuilt non-AOT bootstrap, or a .dll run with `dotnet`
                                  (default: publish self-contained into .artifacts/bench/jit)
          --peer-bootstrap [LABEL=]PATH
                                  also cold-start another function's bootstrap (repeatable), such as
                                  one on the official Momento SDK; it gets the same environment and event
          --help                  this text
        """;

    public required IReadOnlyList<string> Suites { get; init; }

    public bool Smoke { get; init; }

    public string? OutputDirectory { get; init; }

    public string? AotBootstrap { get; init; }

    public string? JitBootstrap { get; init; }

    public IReadOnlyList<string> PeerBootstraps { get; init; } = [];

    public bool Help { get; init; }

    /// <summary>Parses the arguments; returns null with <paramref name="error"/> set when they are not understood.</summary>
    public static BenchmarkOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        error = null;
        var suites = new List<string>();
        var peers = new List<string>();
        string? output = null, aot = null, jit = null;
        var smoke = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "--help" or "-h":
                    return new BenchmarkOptions { Suites = [], Help = true };
                case "--smoke":
                    smoke = true;
                    break;
                case "--out" or "--aot-bootstrap" or "--jit-bootstrap" or "--peer-bootstrap":
                    if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    {
                        error = arg + " needs a value.";
                        return null;
                    }

                    var value = args[++i];
                    if (arg == "--out")
                    {
                        output = value;
                    }
                    else if (arg == "--peer-bootstrap")
                    {
                        peers.Add(value);
                    }
                    else if (arg == "--aot-bootstrap")
                    {
                        aot = value;
                    }
                    else
                    {
                        jit = value;
                    }

                    break;
                case "all":
                    suites.AddRange(AllSuites);
                    break;
                default:
                    if (!AllSuites.Contains(arg, StringComparer.Ordinal))
                    {
                        error = string.Create(CultureInfo.InvariantCulture, $"Unknown argument '{arg}'.");
                        return null;
                    }

                    suites.Add(arg);
                    break;
            }
        }

        if (suites.Count == 0)
        {
            suites.AddRange(AllSuites);
        }

        // Run in the documented order, each once.
        return new BenchmarkOptions
        {
            Suites = [.. AllSuites.Where(suites.Contains)],
            Smoke = smoke,
            OutputDirectory = output,
            AotBootstrap = aot,
            JitBootstrap = jit,
            PeerBootstraps = peers,
        };
    }
}
