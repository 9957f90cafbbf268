namespace Amazon.Lambda.Subset.Internal;

/// <summary>The environment variables the official runtime reads (each name once).</summary>
internal static class EnvironmentNames
{
    /// <summary>The Runtime API's <c>host:port</c>.</summary>
    public const string RuntimeApi = "AWS_LAMBDA_RUNTIME_API";
    /// <summary>The function's name (the context's <c>FunctionName</c>).</summary>
    public const string FunctionName = "AWS_LAMBDA_FUNCTION_NAME";
    /// <summary>The function's version (the context's <c>FunctionVersion</c>).</summary>
    public const string FunctionVersion = "AWS_LAMBDA_FUNCTION_VERSION";
    /// <summary>The function's memory in MB: the context's <c>MemoryLimitInMB</c>, and the GC heap hard limit the runtime sets from it.</summary>
    public const string FunctionMemorySize = "AWS_LAMBDA_FUNCTION_MEMORY_SIZE";
    /// <summary>The function's log group (the context's <c>LogGroupName</c>).</summary>
    public const string LogGroupName = "AWS_LAMBDA_LOG_GROUP_NAME";
    /// <summary>The environment's log stream (the context's <c>LogStreamName</c>).</summary>
    public const string LogStreamName = "AWS_LAMBDA_LOG_STREAM_NAME";
    /// <summary>The X-Ray trace header of the current invocation, set per invocation from the Runtime API's answer.</summary>
    public const string TraceId = "_X_AMZN_TRACE_ID";
    /// <summary>The official runtime's debug switch: handle one invocation, then stop.</summary>
    public const string DebugRunOnce = "AWS_LAMBDA_DOTNET_DEBUG_RUN_ONCE";
    /// <summary><c>true</c> leaves the GC heap hard limit unset.</summary>
    public const string DisableMemoryLimit = "AWS_LAMBDA_DOTNET_DISABLE_MEMORY_LIMIT_CHECK";

    // Multi-concurrency (Lambda Managed Instances): Lambda's own variable, then the .NET runtime client's overrides.
    /// <summary>Set by Lambda Managed Instances: the environment takes that many invocations at once (both functions are safe under it: every concurrent publish goes over the one HTTP/2 connection; each invocation's answer, log record, metrics and trace id are its own).</summary>
    public const string MaxConcurrency = "AWS_LAMBDA_MAX_CONCURRENCY";
    /// <summary>With <c>AWS_LAMBDA_MAX_CONCURRENCY</c>: how many tasks poll the Runtime API (rules in src/Amazon.Lambda.Subset/README.md).</summary>
    public const string ProcessingTasks = "AWS_LAMBDA_DOTNET_PROCESSING_TASKS";
    /// <summary>With <c>AWS_LAMBDA_MAX_CONCURRENCY</c>: the thread pool's minimum worker threads.</summary>
    public const string MinThreads = "AWS_LAMBDA_DOTNET_MIN_THREADS";

    // The .NET runtime client's own variables win over Lambda's.
    /// <summary>The .NET runtime client's log level; wins over <c>AWS_LAMBDA_LOG_LEVEL</c>.</summary>
    public const string HandlerLogLevel = "AWS_LAMBDA_HANDLER_LOG_LEVEL";
    /// <summary>Lambda's application log level.</summary>
    public const string LogLevel = "AWS_LAMBDA_LOG_LEVEL";
    /// <summary>The .NET runtime client's log format; wins over <c>AWS_LAMBDA_LOG_FORMAT</c>.</summary>
    public const string HandlerLogFormat = "AWS_LAMBDA_HANDLER_LOG_FORMAT";
    /// <summary>Lambda's log format (<c>JSON</c> or <c>Text</c>).</summary>
    public const string LogFormat = "AWS_LAMBDA_LOG_FORMAT";
}
