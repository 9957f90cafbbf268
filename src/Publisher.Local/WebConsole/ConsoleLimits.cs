namespace Publisher.Local.WebConsole;

/// <summary>What the console lets pages hold at once: every number bounds the service's memory or its subscriptions.</summary>
internal sealed record ConsoleLimits
{
    /// <summary>Pages (SSE streams) open at once; another gets 429.</summary>
    public int MaxPages { get; init; } = 8;

    /// <summary>Subscriptions one page may hold.</summary>
    public int MaxSubscriptionsPerPage { get; init; } = 8;

    /// <summary>Subscriptions all pages together may hold (the hosted service allows 100 per cache; the functions need some).</summary>
    public int MaxSubscriptions { get; init; } = 32;

    /// <summary>
    /// Events queued for one page that reads too slowly. Past it, new events are dropped and counted, and the page
    /// is told how many it lost; a value is at most a few KB, so a page costs at most about a megabyte.
    /// </summary>
    public int PageQueueCapacity { get; init; } = 256;

    /// <summary>Largest body of a console request (a subscription: a topic name and a resume point).</summary>
    public int MaxRequestBodyBytes { get; init; } = 4096;
}
