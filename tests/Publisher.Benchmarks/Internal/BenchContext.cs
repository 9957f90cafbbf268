namespace Publisher.Benchmarks.Internal;

/// <summary>What every suite gets: sizes, the bootstrap builds, sample events and where to show progress.</summary>
internal sealed record BenchContext(
    Sizes Sizes,
    BootstrapBuild? Aot,
    BootstrapBuild? Jit,
    RestEvents Events)
{
    /// <summary>The cache every local Topics server of the run declares.</summary>
    public const string CacheName = "bench-cache";

    /// <summary>Other functions to cold-start beside the publisher (<c>--peer-bootstrap</c>).</summary>
    public IReadOnlyList<BootstrapBuild> Peers { get; init; } = [];

    /// <summary>Where the run may build helpers (such as the harness-floor probe).</summary>
    public string ArtifactsDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "publisher-bench");

    /// <summary>Suite, step, count and elapsed time, redrawn on a terminal or as plain lines.</summary>
    public ProgressReporter Status { get; init; } = new(TextWriter.Null, terminal: false);

    /// <summary>The build a suite of one bootstrap runs: the Native AOT one, else the non-AOT one.</summary>
    public BootstrapBuild AotOrJit => Aot ?? Jit ?? throw new InvalidOperationException("No bootstrap build to run.");

    /// <summary>The builds present, AOT first.</summary>
    public IReadOnlyList<BootstrapBuild> Builds => new[] { Aot, Jit }.OfType<BootstrapBuild>().ToList();
}
