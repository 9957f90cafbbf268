using System.CommandLine;

namespace Publisher.Benchmarks.Internal;

/// <summary>The parsed command line: which suites, which size, where results go, which binaries to run.</summary>
internal sealed record BenchmarkOptions
{
    public static readonly string[] AllSuites = ["cold-start", "warm", "memory", "batch", "idempotency", "fanout", "oversize", "outage", "concurrency", "memory-near-limit"];

    /// <summary>How the program is started from a clone, as its help shows it.</summary>
    public const string Invocation = "dotnet run -c Release --project tests/Publisher.Benchmarks --";

    public required IReadOnlyList<string> Suites { get; init; }

    public bool Smoke { get; init; }

    public string? OutputDirectory { get; init; }

    public string? AotBootstrap { get; init; }

    public string? JitBootstrap { get; init; }

    /// <summary>Other functions' bootstraps to cold-start beside ours (<c>[LABEL=]PATH</c>), such as one on the official Momento SDK.</summary>
    public IReadOnlyList<string> PeerBootstraps { get; init; } = [];

    /// <summary>The command line (System.CommandLine); its action gets the options and returns the exit code.</summary>
    public static RootCommand CreateCommand(Func<BenchmarkOptions, CancellationToken, Task<int>> run)
    {
        var suites = new Argument<string[]>("suites")
        {
            Description = "all, or one or more of: " + string.Join(", ", AllSuites) + " (default: all)",
            HelpName = "all | SUITE",
            Arity = ArgumentArity.ZeroOrMore,
        };
        suites.AcceptOnlyFromAmong(["all", .. AllSuites]);
        var smoke = new Option<bool>("--smoke")
        {
            Description = "tiny sizes; without bootstrap paths it runs `dotnet Publisher.Function.dll` as the non-AOT side and skips AOT (nothing is published)",
        };
        var output = new Option<string>("--out") { Description = "results folder (default: BenchmarkResults/<yyyyMMdd-HHmmss>)", HelpName = "DIR" };
        var aot = new Option<string>("--aot-bootstrap") { Description = "a prebuilt Native AOT bootstrap (default: publish into .artifacts/bench/aot)", HelpName = "PATH" };
        var jit = new Option<string>("--jit-bootstrap")
        {
            Description = "a prebuilt non-AOT bootstrap, or a .dll run with `dotnet` (default: publish self-contained into .artifacts/bench/jit)",
            HelpName = "PATH",
        };
        var peers = new Option<string[]>("--peer-bootstrap")
        {
            Description = "also cold-start another function's bootstrap (repeatable), such as one on the official Momento SDK; it gets the same environment and event",
            HelpName = "[LABEL=]PATH",
        };
        var root = new RootCommand("Publisher benchmarks: builds what it needs, runs the suites, prints a table per suite and writes results.md and results.json.")
        {
            suites, smoke, output, aot, jit, peers,
        };
        root.HelpName = Invocation;
        root.SetAction((parse, cancellationToken) =>
        {
            var chosen = parse.GetValue(suites) ?? [];
            var all = chosen.Length == 0 || chosen.Contains("all", StringComparer.Ordinal);
            return run(
                new BenchmarkOptions
                {
                    // Run in the documented order, each once.
                    Suites = [.. AllSuites.Where(s => all || chosen.Contains(s, StringComparer.Ordinal))],
                    Smoke = parse.GetValue(smoke),
                    OutputDirectory = parse.GetValue(output),
                    AotBootstrap = parse.GetValue(aot),
                    JitBootstrap = parse.GetValue(jit),
                    PeerBootstraps = parse.GetValue(peers) ?? [],
                },
                cancellationToken);
        });
        return root;
    }
}
