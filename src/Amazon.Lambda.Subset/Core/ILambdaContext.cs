namespace Amazon.Lambda.Core;

/// <summary>Information about the current invocation and the function (official: Amazon.Lambda.Core).</summary>
public interface ILambdaContext
{
    /// <summary>The request id of this invocation (header Lambda-Runtime-Aws-Request-Id).</summary>
    string AwsRequestId { get; }

    /// <summary>The mobile SDK's client context; null when the caller sent none.</summary>
    IClientContext ClientContext { get; }

    /// <summary>The function name (env AWS_LAMBDA_FUNCTION_NAME).</summary>
    string FunctionName { get; }

    /// <summary>The function version (env AWS_LAMBDA_FUNCTION_VERSION).</summary>
    string FunctionVersion { get; }

    /// <summary>The Cognito identity of a mobile caller; null when there is none.</summary>
    ICognitoIdentity Identity { get; }

    /// <summary>The ARN used to invoke the function (header Lambda-Runtime-Invoked-Function-Arn).</summary>
    string InvokedFunctionArn { get; }

    /// <summary>A logger that writes through the runtime's log formatting.</summary>
    ILambdaLogger Logger { get; }

    /// <summary>The CloudWatch log group (env AWS_LAMBDA_LOG_GROUP_NAME).</summary>
    string LogGroupName { get; }

    /// <summary>The CloudWatch log stream (env AWS_LAMBDA_LOG_STREAM_NAME).</summary>
    string LogStreamName { get; }

    /// <summary>The configured memory in MB (env AWS_LAMBDA_FUNCTION_MEMORY_SIZE).</summary>
    int MemoryLimitInMB { get; }

    /// <summary>Time left until the invocation's deadline (header Lambda-Runtime-Deadline-Ms); negative once it passed.</summary>
    TimeSpan RemainingTime { get; }

    /// <summary>The X-Ray trace header of this invocation (header Lambda-Runtime-Trace-Id).</summary>
    string TraceId => string.Empty;
}
