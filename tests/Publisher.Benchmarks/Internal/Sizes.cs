namespace Publisher.Benchmarks.Internal;

/// <summary>How much each suite does: the sizes, or tiny ones for <c>--smoke</c>.</summary>
internal sealed record Sizes
{
    public required int ColdStartRuns { get; init; }

    /// <summary>Fresh processes per build and setting of the cold-start suite's modelled network.</summary>
    public required int NetworkColdStartRuns { get; init; }

    /// <summary>Invocations after the first one in each cold-start process, to compare the cold request with warm ones.</summary>
    public required int ColdStartWarmInvocations { get; init; }

    public required int WarmIterations { get; init; }

    public required int WarmWarmupIterations { get; init; }

    public required IReadOnlyList<int> MemoryCheckpoints { get; init; }

    /// <summary>Invocations queued at once in the memory suite, so the runtime never waits for the next event.</summary>
    public required int MemoryPipelineDepth { get; init; }

    public required int BatchMessages { get; init; }

    public required int BatchRepeats { get; init; }

    public required IReadOnlyList<(int Publishers, int Subscribers)> FanoutShapes { get; init; }

    public required TimeSpan FanoutDuration { get; init; }

    /// <summary>Bodies over the local API's cap sent to one local service process.</summary>
    public required int OversizeRequests { get; init; }

    /// <summary>Size of each oversized body (the cap is 1 MiB).</summary>
    public required int OversizeBodyBytes { get; init; }

    public required int OversizeConcurrency { get; init; }

    /// <summary>Oversized bodies of the warm-up, before the baseline reading.</summary>
    public required int OversizeWarmUp { get; init; }

    /// <summary>How long the service is left alone before the last memory reading.</summary>
    public required TimeSpan OversizeIdle { get; init; }

    /// <summary>Near-limit requests sent to the local runner, and events to the function, by the memory-near-limit suite.</summary>
    public required int NearLimitRequests { get; init; }

    /// <summary>Rounds they are sent in (memory is read after each).</summary>
    public required int NearLimitRounds { get; init; }

    /// <summary>Near-limit requests in flight at once at the local runner.</summary>
    public required int NearLimitConcurrency { get; init; }

    /// <summary>How long both processes are left alone before the idle reading.</summary>
    public required TimeSpan NearLimitIdle { get; init; }

    /// <summary>Times the outage suite stops and restarts the local Topics server.</summary>
    public required int OutageCycles { get; init; }

    /// <summary>How long the server stays down in each cycle.</summary>
    public required TimeSpan OutageDown { get; init; }

    /// <summary>How long the server is up before each outage.</summary>
    public required TimeSpan OutageUp { get; init; }

    /// <summary>The concurrencies (AWS_LAMBDA_MAX_CONCURRENCY, and callers) one environment is measured at.</summary>
    public required IReadOnlyList<int> ConcurrencyLevels { get; init; }

    /// <summary>How long the callers keep each environment busy in all, after its warm-up.</summary>
    public required TimeSpan ConcurrencyDuration { get; init; }

    /// <summary>Measuring windows per environment, taken in rotating order across the concurrencies.</summary>
    public required int ConcurrencyRounds { get; init; }

    public required TimeSpan ConcurrencyWarmUp { get; init; }

    public static Sizes For(bool smoke) => smoke
        ? new Sizes
        {
            ColdStartRuns = 2,
            NetworkColdStartRuns = 1,
            ColdStartWarmInvocations = 2,
            WarmIterations = 20,
            WarmWarmupIterations = 5,
            MemoryCheckpoints = [10, 20, 30],
            MemoryPipelineDepth = 4,
            BatchMessages = 20,
            BatchRepeats = 2,
            FanoutShapes = [(1, 1), (2, 4)],
            FanoutDuration = TimeSpan.FromMilliseconds(250),
            OversizeRequests = 20,
            OversizeBodyBytes = 2 * 1024 * 1024,
            OversizeConcurrency = 4,
            OversizeWarmUp = 8,
            OversizeIdle = TimeSpan.FromMilliseconds(200),
            NearLimitRequests = 8,
            NearLimitRounds = 2,
            NearLimitConcurrency = 4,
            NearLimitIdle = TimeSpan.FromMilliseconds(200),
            OutageCycles = 1,
            OutageDown = TimeSpan.FromSeconds(1),
            OutageUp = TimeSpan.FromMilliseconds(600),
            ConcurrencyLevels = [1, 4],
            ConcurrencyDuration = TimeSpan.FromMilliseconds(300),
            ConcurrencyRounds = 2,
            ConcurrencyWarmUp = TimeSpan.FromMilliseconds(100),
        }
        : new Sizes
        {
            ColdStartRuns = 20,
            NetworkColdStartRuns = 40,
            ColdStartWarmInvocations = 5,
            WarmIterations = 2000,
            WarmWarmupIterations = 200,
            MemoryCheckpoints = [1_000, 10_000, 100_000],
            MemoryPipelineDepth = 16,
            BatchMessages = 100,
            BatchRepeats = 20,
            FanoutShapes = [(1, 1), (4, 16), (16, 64)],
            FanoutDuration = TimeSpan.FromSeconds(2),
            OversizeRequests = 1000,
            OversizeBodyBytes = 4 * 1024 * 1024,
            OversizeConcurrency = 8,
            OversizeWarmUp = 250,
            OversizeIdle = TimeSpan.FromSeconds(10),
            NearLimitRequests = 240,
            NearLimitRounds = 6,
            NearLimitConcurrency = 8,
            NearLimitIdle = TimeSpan.FromSeconds(10),
            OutageCycles = 5,
            OutageDown = TimeSpan.FromSeconds(5),
            OutageUp = TimeSpan.FromSeconds(3),
            ConcurrencyLevels = [1, 8, 32, 64],
            ConcurrencyDuration = TimeSpan.FromSeconds(4),
            ConcurrencyRounds = 8,
            ConcurrencyWarmUp = TimeSpan.FromSeconds(1),
        };
}
