namespace Publisher.Contracts;

/// <summary>Names of the environment variables the functions read (the CDK stack sets them).</summary>
public static class EnvironmentVariables
{
    /// <summary>Required: the Momento cache the topics live in.</summary>
    public const string CacheName = "MOMENTO_CACHE_NAME";

    /// <summary>The Secrets Manager secret id (name or ARN) holding the Momento key, read through the secrets extension; one of the three key sources.</summary>
    public const string ApiKeySecretId = "MOMENTO_API_KEY_SECRET_ID";

    /// <summary>The Momento key itself (local runs and tests); one of the three key sources.</summary>
    public const string ApiKey = "MOMENTO_API_KEY";

    /// <summary><c>host:port</c> of a local plaintext Topics server; one of the three key sources.</summary>
    public const string LocalEndpoint = "MOMENTO_LOCAL_ENDPOINT";

    /// <summary>Momento endpoint for keys that do not carry one (v2 keys); default none: the key says where.</summary>
    public const string Endpoint = "MOMENTO_ENDPOINT";

    /// <summary>Seconds a connection may sit idle before the next call opens a new one (1 to 3600; default 240, <c>MomentoSettings.DefaultIdleRecycleSeconds</c>).</summary>
    public const string IdleRecycleSeconds = "MOMENTO_IDLE_RECYCLE_SECONDS";

    /// <summary>Timeout of one publish in ms (50 to 60000; default 5000, <c>MomentoSettings.DefaultPublishTimeoutMs</c>), capped by the invocation's remaining time.</summary>
    public const string PublishTimeoutMs = "PUBLISH_TIMEOUT_MS";

    /// <summary>Largest published value in bytes (default <see cref="HttpContract.MaxValueBytes"/>).</summary>
    public const string MaxValueBytes = "MAX_VALUE_BYTES";

    /// <summary>Largest request body in bytes (default <see cref="HttpContract.MaxBodyBytes"/>).</summary>
    public const string MaxBodyBytes = "MAX_BODY_BYTES";

    /// <summary>Most messages in one <c>/batch</c> request (default <see cref="HttpContract.MaxBatchMessages"/>).</summary>
    public const string MaxBatchMessages = "MAX_BATCH_MESSAGES";

    /// <summary>Comma-separated topic-name prefixes the publisher accepts (default empty: every topic).</summary>
    public const string AllowedTopicPrefixes = "ALLOWED_TOPIC_PREFIXES";

    /// <summary>Seconds an idempotency record (a keyed publish's answer) is kept (1 to 86400, a day being Momento's default longest TTL; default <see cref="HttpContract.DefaultIdempotencyTtlSeconds"/>).</summary>
    public const string IdempotencyTtlSeconds = "IDEMPOTENCY_TTL_SECONDS";

    /// <summary>Longest verification session in ms (default <see cref="HttpContract.MaxVerifyListenMs"/>).</summary>
    public const string VerifyMaxListenMs = "VERIFY_MAX_LISTEN_MS";

    /// <summary>Absolute base URI of the problem types' documentation (ends with <c>/problems/</c>); each problem's <c>type</c> is this plus its slug.</summary>
    public const string ProblemTypeBaseUri = "PROBLEM_TYPE_BASE_URI";

    /// <summary>Set by Lambda: the execution role's session token, also the Parameters and Secrets extension's auth token.</summary>
    public const string SessionToken = "AWS_SESSION_TOKEN";

    /// <summary>The Parameters and Secrets extension's HTTP port (default 2773).</summary>
    public const string SecretsExtensionHttpPort = "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT";
}
