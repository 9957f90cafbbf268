using System.Globalization;

namespace Publisher.Cdk.Internal;

/// <summary>The environment variables the functions read (Functions.Common's EnvironmentVariables; keep the names in step).</summary>
internal static class FunctionEnvironment
{
    public const string CacheName = "MOMENTO_CACHE_NAME";
    public const string ApiKeySecretId = "MOMENTO_API_KEY_SECRET_ID";
    public const string Endpoint = "MOMENTO_ENDPOINT";
    public const string LocalEndpoint = "MOMENTO_LOCAL_ENDPOINT";
    public const string PublishTimeoutMs = "PUBLISH_TIMEOUT_MS";
    public const string MaxValueBytes = "MAX_VALUE_BYTES";
    public const string MaxBodyBytes = "MAX_BODY_BYTES";
    public const string MaxBatchMessages = "MAX_BATCH_MESSAGES";
    public const string AllowedTopicPrefixes = "ALLOWED_TOPIC_PREFIXES";
    public const string VerifyMaxListenMs = "VERIFY_MAX_LISTEN_MS";

    /// <summary>Momento's limit on one message.</summary>
    public const int MaxValueBytesValue = 4096;

    /// <summary>Hard cap on a request body, read before parsing.</summary>
    public const int MaxBodyBytesValue = 1024 * 1024;

    public const int MaxBatchMessagesValue = RequestSchemas.MaxBatchMessages;

    /// <summary>What both functions need to reach Momento.</summary>
    private static Dictionary<string, string> Common(PublisherStackSettings settings, string secretId)
    {
        var env = new Dictionary<string, string>
        {
            [CacheName] = settings.CacheName,
            [ApiKeySecretId] = secretId,
            [PublishTimeoutMs] = Invariant(settings.PublishTimeoutMs),

            // Declared empty (the functions treat blank as unset) only so that `sam local invoke --env-vars`,
            // which can override just the variables a template declares, can point the function at a local
            // Topics server instead of the secret.
            [LocalEndpoint] = string.Empty,
        };
        if (settings.MomentoEndpoint is { } endpoint)
        {
            env[Endpoint] = endpoint;
        }

        return env;
    }

    public static Dictionary<string, string> Publisher(PublisherStackSettings settings, string secretId)
    {
        var env = Common(settings, secretId);
        env[MaxValueBytes] = Invariant(MaxValueBytesValue);
        env[MaxBodyBytes] = Invariant(MaxBodyBytesValue);
        env[MaxBatchMessages] = Invariant(MaxBatchMessagesValue);
        if (settings.TopicPrefixes.Count > 0)
        {
            env[AllowedTopicPrefixes] = string.Join(',', settings.TopicPrefixes);
        }

        return env;
    }

    public static Dictionary<string, string> Subscriber(PublisherStackSettings settings, string secretId)
    {
        var env = Common(settings, secretId);
        env[VerifyMaxListenMs] = Invariant(settings.VerifyMaxListenMs);
        return env;
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
