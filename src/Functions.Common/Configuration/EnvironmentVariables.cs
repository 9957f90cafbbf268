namespace Functions.Common.Configuration;

/// <summary>Names of the environment variables the functions read (the CDK stack sets them).</summary>
public static class EnvironmentVariables
{
    public const string CacheName = "MOMENTO_CACHE_NAME";
    public const string ApiKeySecretId = "MOMENTO_API_KEY_SECRET_ID";
    public const string ApiKey = "MOMENTO_API_KEY";
    public const string LocalEndpoint = "MOMENTO_LOCAL_ENDPOINT";
    public const string Endpoint = "MOMENTO_ENDPOINT";
    public const string IdleRecycleSeconds = "MOMENTO_IDLE_RECYCLE_SECONDS";
    public const string PublishTimeoutMs = "PUBLISH_TIMEOUT_MS";
    public const string MaxValueBytes = "MAX_VALUE_BYTES";
    public const string MaxBodyBytes = "MAX_BODY_BYTES";
    public const string MaxBatchMessages = "MAX_BATCH_MESSAGES";
    public const string AllowedTopicPrefixes = "ALLOWED_TOPIC_PREFIXES";
    public const string VerifyMaxListenMs = "VERIFY_MAX_LISTEN_MS";

    /// <summary>Absolute base URI of the problem types' documentation (ends with <c>/problems/</c>); each problem's <c>type</c> is this plus its slug.</summary>
    public const string ProblemTypeBaseUri = "PROBLEM_TYPE_BASE_URI";

    /// <summary>Set by Lambda: the execution role's session token, also the Parameters and Secrets extension's auth token.</summary>
    public const string SessionToken = "AWS_SESSION_TOKEN";

    /// <summary>The Parameters and Secrets extension's HTTP port (default 2773).</summary>
    public const string SecretsExtensionHttpPort = "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT";
}
