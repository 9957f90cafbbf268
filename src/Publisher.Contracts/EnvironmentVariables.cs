namespace Publisher.Contracts;

/// <summary>Names of the environment variables the functions read (the CDK stack sets them).</summary>
public static class EnvironmentVariables
{
    /// <summary>Required: the Momento cache the topics live in.</summary>
    public const string CacheName = "MOMENTO_CACHE_NAME";

    /// <summary>
    /// The Secrets Manager secret id (name or ARN) holding the Momento key, read through the Parameters and Secrets
    /// extension on <c>localhost:2773</c> (retried briefly while the extension starts); the secret holds a bare key or
    /// <c>{"apiKey": "...", "endpoint": "..."}</c>. One of the three key sources: exactly one must be set.
    /// </summary>
    public const string ApiKeySecretId = "MOMENTO_API_KEY_SECRET_ID";

    /// <summary>The Momento key itself (development only: it sits in the environment); one of the three key sources.</summary>
    public const string ApiKey = "MOMENTO_API_KEY";

    /// <summary><c>host:port</c> of a local Topics server (plaintext, no key); one of the three key sources.</summary>
    public const string LocalEndpoint = "MOMENTO_LOCAL_ENDPOINT";

    /// <summary>Momento endpoint for keys that do not carry one (v2 keys), e.g. <c>cell-us-east-1-1.prod.a.momentohq.com</c>; default none: legacy and v1 keys say where. An endpoint stored in the secret wins. When set, init connects (TCP, TLS) while the key is read.</summary>
    public const string Endpoint = "MOMENTO_ENDPOINT";

    /// <summary>Seconds a connection may sit idle before the next call opens a new one (1 to 3600; default 240, <c>MomentoSettings.DefaultIdleRecycleSeconds</c>): Momento's load balancer silently drops idle connections at about 350 s.</summary>
    public const string IdleRecycleSeconds = "MOMENTO_IDLE_RECYCLE_SECONDS";

    /// <summary>Timeout of one publish in ms (50 to 60000; default 5000, <c>MomentoSettings.DefaultPublishTimeoutMs</c>), capped by the invocation's remaining time minus 250 ms, so the function always answers before Lambda stops it.</summary>
    public const string PublishTimeoutMs = "PUBLISH_TIMEOUT_MS";

    /// <summary>Largest published value in bytes (default 4096, <see cref="HttpContract.MaxValueBytes"/>: Momento's topic message limit).</summary>
    public const string MaxValueBytes = "MAX_VALUE_BYTES";

    /// <summary>Largest request body in bytes, checked before parsing (default 1048576, <see cref="HttpContract.MaxBodyBytes"/>).</summary>
    public const string MaxBodyBytes = "MAX_BODY_BYTES";

    /// <summary>Most messages in one <c>POST /batch</c> (default 100, <see cref="HttpContract.MaxBatchMessages"/>).</summary>
    public const string MaxBatchMessages = "MAX_BATCH_MESSAGES";

    /// <summary>Comma-separated topic-name prefixes (default empty: every topic); others get 403, on publishing and on <c>/verify</c> alike (a caller cannot listen where it may not publish).</summary>
    public const string AllowedTopicPrefixes = "ALLOWED_TOPIC_PREFIXES";

    /// <summary>Publisher only: seconds an idempotency record (a keyed publish's answer) is kept (1 to 86400; default 86400, <see cref="HttpContract.DefaultIdempotencyTtlSeconds"/>: a day, Momento's default longest TTL).</summary>
    public const string IdempotencyTtlSeconds = "IDEMPOTENCY_TTL_SECONDS";

    /// <summary>Subscriber only: longest verification session in ms (default 25000, <see cref="HttpContract.MaxVerifyListenMs"/>: below API Gateway's 29 s).</summary>
    public const string VerifyMaxListenMs = "VERIFY_MAX_LISTEN_MS";

    /// <summary>Base of every problem's <c>type</c> (absolute <c>http(s)</c>, ending with <c>/</c>; default <c>http://127.0.0.1:3000/problems/</c>): the address of the problem pages. The stack sets it to its API's <c>/problems/</c> and the local runner to its own.</summary>
    public const string ProblemTypeBaseUri = "PROBLEM_TYPE_BASE_URI";

    /// <summary>Set by Lambda: the execution role's session token, also the Parameters and Secrets extension's auth token.</summary>
    public const string SessionToken = "AWS_SESSION_TOKEN";

    /// <summary>The Parameters and Secrets extension's HTTP port (default 2773).</summary>
    public const string SecretsExtensionHttpPort = "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT";
}
