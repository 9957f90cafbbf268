namespace Publisher.Benchmarks.Internal;

/// <summary>One way to start the publisher's <c>bootstrap</c>: the Native AOT binary or the non-AOT build.</summary>
/// <param name="Label">"AOT" or "non-AOT", as the tables show it.</param>
/// <param name="FileName">The executable to start.</param>
/// <param name="Arguments">Its arguments (the dll, when run with <c>dotnet</c>).</param>
/// <param name="Origin">Where it came from, for the results.</param>
internal sealed record BootstrapBuild(string Label, string FileName, IReadOnlyList<string> Arguments, string Origin)
{
    public const string AotLabel = "AOT";
    public const string JitLabel = "non-AOT";

    /// <summary>The environment of a bootstrap pointed at a local Topics server, with every other key source removed.</summary>
    public static Dictionary<string, string?> Environment(string topicsHostPort, string cacheName) => new(StringComparer.Ordinal)
    {
        ["MOMENTO_LOCAL_ENDPOINT"] = topicsHostPort,
        ["MOMENTO_CACHE_NAME"] = cacheName,
        ["PUBLISH_TIMEOUT_MS"] = "5000",
        ["MOMENTO_API_KEY"] = null,
        ["MOMENTO_API_KEY_SECRET_ID"] = null,
        ["MOMENTO_ENDPOINT"] = null,
        ["AWS_LAMBDA_DOTNET_DEBUG_RUN_ONCE"] = null,
    };
}
