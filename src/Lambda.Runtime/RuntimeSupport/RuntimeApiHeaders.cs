namespace Amazon.Lambda.RuntimeSupport;

/// <summary>Header names of the Lambda Runtime API (compare them case-insensitively).</summary>
public static class RuntimeApiHeaders
{
    /// <summary>The invocation's request id (on /next).</summary>
    public const string AwsRequestId = "Lambda-Runtime-Aws-Request-Id";

    /// <summary>The invocation's deadline in Unix epoch milliseconds (on /next).</summary>
    public const string DeadlineMs = "Lambda-Runtime-Deadline-Ms";

    /// <summary>The ARN used to invoke the function (on /next).</summary>
    public const string InvokedFunctionArn = "Lambda-Runtime-Invoked-Function-Arn";

    /// <summary>The X-Ray trace header (on /next).</summary>
    public const string TraceId = "Lambda-Runtime-Trace-Id";

    /// <summary>The mobile client context, JSON (on /next).</summary>
    public const string ClientContext = "Lambda-Runtime-Client-Context";

    /// <summary>The Cognito identity, JSON (on /next).</summary>
    public const string CognitoIdentity = "Lambda-Runtime-Cognito-Identity";

    /// <summary>The error type the runtime reports (on /error posts).</summary>
    public const string FunctionErrorType = "Lambda-Runtime-Function-Error-Type";
}
