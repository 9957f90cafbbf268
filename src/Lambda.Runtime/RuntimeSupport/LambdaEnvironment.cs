namespace Amazon.Lambda.RuntimeSupport;

/// <summary>Names of the environment variables Lambda sets for a custom runtime (and the few this runtime reads).</summary>
public static class LambdaEnvironment
{
    /// <summary>host:port of the Runtime API.</summary>
    public const string RuntimeApi = "AWS_LAMBDA_RUNTIME_API";

    /// <summary>The function's name.</summary>
    public const string FunctionName = "AWS_LAMBDA_FUNCTION_NAME";

    /// <summary>The function's version, e.g. <c>$LATEST</c>.</summary>
    public const string FunctionVersion = "AWS_LAMBDA_FUNCTION_VERSION";

    /// <summary>The configured memory in MB.</summary>
    public const string FunctionMemorySize = "AWS_LAMBDA_FUNCTION_MEMORY_SIZE";

    /// <summary>The CloudWatch log group.</summary>
    public const string LogGroupName = "AWS_LAMBDA_LOG_GROUP_NAME";

    /// <summary>The CloudWatch log stream.</summary>
    public const string LogStreamName = "AWS_LAMBDA_LOG_STREAM_NAME";

    /// <summary>The handler setting of the function.</summary>
    public const string Handler = "_HANDLER";

    /// <summary>The AWS region.</summary>
    public const string Region = "AWS_REGION";

    /// <summary>The session token of the execution role; also the Parameters and Secrets extension's auth token.</summary>
    public const string SessionToken = "AWS_SESSION_TOKEN";

    /// <summary>The X-Ray trace header of the current invocation (set by the runtime from Lambda-Runtime-Trace-Id).</summary>
    public const string TraceId = "_X_AMZN_TRACE_ID";

    /// <summary>When "true", the runtime handles one invocation and exits (a development aid).</summary>
    public const string DebugRunOnce = "AWS_LAMBDA_DOTNET_DEBUG_RUN_ONCE";

    /// <summary>HTTP port of the AWS Parameters and Secrets Lambda extension (default 2773).</summary>
    public const string ParametersSecretsExtensionHttpPort = "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT";
}
