using System.Globalization;
using Grpc.Core;

namespace Momento.Topics.Client.Internal;

/// <summary>Builds the request metadata every call carries.</summary>
internal sealed class CallHeaders
{
    internal const string Authorization = "authorization";
    internal const string Agent = "agent";
    internal const string RuntimeVersion = "runtime-version";
    internal const string Cache = "cache";
    internal const string AgentName = "dotnet-lambda-publisher";

    private readonly string _authToken;
    private readonly string _agent;
    private readonly string _runtimeVersion;
    private readonly Metadata? _extra;

    public CallHeaders(string authToken, Metadata? extra)
    {
        _authToken = authToken;
        var version = typeof(CallHeaders).Assembly.GetName().Version ?? new Version(0, 0, 0);
        _agent = string.Create(CultureInfo.InvariantCulture, $"{AgentName}:{version.ToString(3)}");
        _runtimeVersion = string.Create(CultureInfo.InvariantCulture, $"dotnet:{Environment.Version}");
        _extra = extra;
    }

    /// <summary>A fresh metadata collection; <paramref name="cacheName"/> adds the <c>cache</c> header.</summary>
    public Metadata Create(string? cacheName)
    {
        var metadata = new Metadata
        {
            { Authorization, _authToken },
            { Agent, _agent },
            { RuntimeVersion, _runtimeVersion },
        };
        // The name also travels in the request body; a header takes only visible ASCII and spaces, none at either
        // end (HTTP/2 makes such a value malformed, and a gRPC receiver may strip them).
        if (cacheName is not null && IsHeaderSafe(cacheName))
        {
            metadata.Add(Cache, cacheName);
        }

        if (_extra is not null)
        {
            foreach (var entry in _extra)
            {
                metadata.Add(entry);
            }
        }

        return metadata;
    }

    private static bool IsHeaderSafe(string value)
    {
        foreach (var c in value)
        {
            if (c is < ' ' or > '~')
            {
                return false;
            }
        }

        return value.Length > 0 && value[0] != ' ' && value[^1] != ' ';
    }
}
