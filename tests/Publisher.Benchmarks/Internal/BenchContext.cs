namespace Publisher.Benchmarks.Internal;

/// <summary>What every suite gets: sizes, the bootstrap builds, sample events and where to print progress.</summary>
internal sealed record BenchContext(
    Sizes Sizes,
    BootstrapBuild? Aot,
    BootstrapBuild? Jit,
    RestEvents Events,
    TextWriter Progress)
{
    /// <summary>The cache every local Topics server of the run declares.</summary>
    public const string CacheName = "bench-cache";

    /// <summary>The builds present, AOT first.</summary>
    public IReadOnlyList<BootstrapBuild> Builds => new[] { Aot, Jit }.OfType<BootstrapBuild>().ToList();
}
