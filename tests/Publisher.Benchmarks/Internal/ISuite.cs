namespace Publisher.Benchmarks.Internal;

/// <summary>One benchmark suite.</summary>
internal interface ISuite
{
    /// <summary>The command-line name.</summary>
    string Name { get; }

    /// <summary>Whether the suite starts the function's bootstrap process.</summary>
    bool NeedsBootstrap { get; }

    Task<SuiteResult> RunAsync(BenchContext context, CancellationToken cancellationToken);
}
