namespace Publisher.Benchmarks.Internal;

/// <summary>Upper bounds that turn a hang into a failed suite instead of a stuck run.</summary>
internal static class Timeouts
{
    /// <summary>Process start to the first /next (JIT builds on a busy machine are the slow case).</summary>
    public static readonly TimeSpan BootstrapInit = TimeSpan.FromSeconds(60);

    /// <summary>The function timeout given to each emulated invocation.</summary>
    public static readonly TimeSpan Invocation = TimeSpan.FromSeconds(30);

    /// <summary>Starting a server, subscribing, draining deliveries.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(30);
}
