using System.Globalization;
using Publisher.Contracts;

namespace Publisher.Cdk.Internal;

/// <summary>The functions' environment; names and limits come from the contract's EnvironmentVariables and HttpContract.</summary>
internal static class FunctionEnvironment
{
    /// <summary>What both functions need to reach Momento.</summary>
    private static Dictionary<string, string> Common(PublisherStackSettings settings, string secretId)
    {
        var env = new Dictionary<string, string>
        {
            [EnvironmentVariables.CacheName] = settings.CacheName,
            [EnvironmentVariables.ApiKeySecretId] = secretId,
            [EnvironmentVariables.PublishTimeoutMs] = Invariant(settings.PublishTimeoutMs),

            // Declared empty (the functions treat blank as unset) only so that `sam local invoke --env-vars`,
            // which can override just the variables a template declares, can point the function at a local
            // Topics server instead of the secret.
            [EnvironmentVariables.LocalEndpoint] = string.Empty,
        };
        if (settings.MomentoEndpoint is { } endpoint)
        {
            env[EnvironmentVariables.Endpoint] = endpoint;
        }

        // One allowlist for both: what a caller may publish to is what it may verify.
        if (settings.TopicPrefixes.Count > 0)
        {
            env[EnvironmentVariables.AllowedTopicPrefixes] = string.Join(',', settings.TopicPrefixes);
        }

        return env;
    }

    public static Dictionary<string, string> Publisher(PublisherStackSettings settings, string secretId)
    {
        var env = Common(settings, secretId);
        env[EnvironmentVariables.MaxValueBytes] = Invariant(HttpContract.MaxValueBytes);
        env[EnvironmentVariables.MaxBodyBytes] = Invariant(HttpContract.MaxBodyBytes);
        env[EnvironmentVariables.MaxBatchMessages] = Invariant(HttpContract.MaxBatchMessages);
        // Idempotency records live in the same cache under the same key: nothing new to grant.
        env[EnvironmentVariables.IdempotencyTtlSeconds] = Invariant(HttpContract.DefaultIdempotencyTtlSeconds);
        return env;
    }

    public static Dictionary<string, string> Subscriber(PublisherStackSettings settings, string secretId)
    {
        var env = Common(settings, secretId);
        env[EnvironmentVariables.VerifyMaxListenMs] = Invariant(settings.VerifyMaxListenMs);
        return env;
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
