using Publisher.Local;

namespace Publisher.DeploymentCheck.Tests.Infrastructure;

/// <summary>The local service as the tests' stand-in for a deployed stack: free ports, an API key, quick heartbeats.</summary>
internal static class LocalStack
{
    /// <summary>The key the service demands, as a stack in API key mode does.</summary>
    public const string ApiKey = "local-api-key";

    /// <summary>Its options; tests change what they need with <c>with</c>.</summary>
    public static LocalServiceOptions Options() => new()
    {
        ApiPort = 0,
        TopicsPort = 0,
        ApiKey = ApiKey,
        Environment = _ => null,
        HeartbeatInterval = TimeSpan.FromMilliseconds(50),
        Log = TextWriter.Null,
    };
}
