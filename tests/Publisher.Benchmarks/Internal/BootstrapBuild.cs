namespace Publisher.Benchmarks.Internal;

/// <summary>One way to start a <c>bootstrap</c>: the publisher's Native AOT binary, its non-AOT build, or a peer given on the command line.</summary>
/// <param name="Label">"AOT", "non-AOT" or a peer's label, as the tables show it.</param>
/// <param name="FileName">The executable to start.</param>
/// <param name="Arguments">Its arguments (the dll, when run with <c>dotnet</c>).</param>
/// <param name="Origin">Where it came from, for the results.</param>
internal sealed record BootstrapBuild(string Label, string FileName, IReadOnlyList<string> Arguments, string Origin)
{
    public const string AotLabel = "AOT";
    public const string JitLabel = "non-AOT";

    /// <summary>A peer: another function measured beside the publisher (such as one on the official Momento SDK). It
    /// reads the same MOMENTO_LOCAL_ENDPOINT and MOMENTO_CACHE_NAME and answers the same REST proxy event with a 200.</summary>
    public bool IsPeer { get; init; }

    /// <summary>The environment of a bootstrap pointed at a local Topics server, with every other key source removed.</summary>
    public Dictionary<string, string?> EnvironmentFor(string topicsHostPort, string cacheName) => new(StringComparer.Ordinal)
    {
        ["MOMENTO_LOCAL_ENDPOINT"] = topicsHostPort,
        ["MOMENTO_CACHE_NAME"] = cacheName,
        ["PUBLISH_TIMEOUT_MS"] = "5000",
        ["MOMENTO_API_KEY"] = null,
        ["MOMENTO_API_KEY_SECRET_ID"] = null,
        ["MOMENTO_ENDPOINT"] = null,
        ["AWS_LAMBDA_DOTNET_DEBUG_RUN_ONCE"] = null,
    };

    /// <summary>A peer from <c>--peer-bootstrap [LABEL=]PATH</c>; the label defaults to the file's folder name.</summary>
    public static BootstrapBuild Peer(string argument)
    {
        var equals = argument.IndexOf('=', StringComparison.Ordinal);
        var path = Path.GetFullPath(equals > 0 ? argument[(equals + 1)..] : argument);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException("Peer bootstrap not found: " + path, path);
        }

        var label = equals > 0 ? argument[..equals] : Path.GetFileName(Path.GetDirectoryName(path)) ?? "peer";
        return new BootstrapBuild(label, path, [], "peer: " + path) { IsPeer = true };
    }
}
