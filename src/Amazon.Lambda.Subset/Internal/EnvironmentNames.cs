namespace Amazon.Lambda.Subset.Internal;

/// <summary>The environment variables the official runtime reads (each name once).</summary>
internal static class EnvironmentNames
{
    public const string RuntimeApi = "AWS_LAMBDA_RUNTIME_API";
    public const string FunctionName = "AWS_LAMBDA_FUNCTION_NAME";
    public const string FunctionVersion = "AWS_LAMBDA_FUNCTION_VERSION";
    public const string FunctionMemorySize = "AWS_LAMBDA_FUNCTION_MEMORY_SIZE";
    public const string LogGroupName = "AWS_LAMBDA_LOG_GROUP_NAME";
    public const string LogStreamName = "AWS_LAMBDA_LOG_STREAM_NAME";
    public const string TraceId = "_X_AMZN_TRACE_ID";
    public const string DebugRunOnce = "AWS_LAMBDA_DOTNET_DEBUG_RUN_ONCE";
    public const string DisableMemoryLimit = "AWS_LAMBDA_DOTNET_DISABLE_MEMORY_LIMIT_CHECK";

    // Multi-concurrency (Lambda Managed Instances): Lambda's own variable, then the .NET runtime client's overrides.
    public const string MaxConcurrency = "AWS_LAMBDA_MAX_CONCURRENCY";
    public const string ProcessingTasks = "AWS_LAMBDA_DOTNET_PROCESSING_TASKS";
    public const string MinThreads = "AWS_LAMBDA_DOTNET_MIN_THREADS";

    // The .NET runtime client's own variables win over Lambda's.
    public const string HandlerLogLevel = "AWS_LAMBDA_HANDLER_LOG_LEVEL";
    public const string LogLevel = "AWS_LAMBDA_LOG_LEVEL";
    public const string HandlerLogFormat = "AWS_LAMBDA_HANDLER_LOG_FORMAT";
    public const string LogFormat = "AWS_LAMBDA_LOG_FORMAT";
}
