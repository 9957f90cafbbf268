namespace Amazon.Lambda.Core;

/// <summary>Information about the current invocation and the function, as the Runtime API and environment describe it.</summary>
public interface ILambdaContext
{
    /// <summary>The request id of this invocation (header Lambda-Runtime-Aws-Request-Id).</summary>
    string AwsRequestId { get; }

    /// <summary>The function name (env AWS_LAMBDA_FUNCTION_NAME).</summary>
    string FunctionName { get; }

    /// <summary>The function version (env AWS_LAMBDA_FUNCTION_VERSION), e.g. <c>$LATEST</c>.</summary>
    string FunctionVersion { get; }

    /// <summary>The ARN used to invoke the function (header Lambda-Runtime-Invoked-Function-Arn); empty when unknown.</summary>
    string InvokedFunctionArn { get; }

    /// <summary>The configured memory in MB (env AWS_LAMBDA_FUNCTION_MEMORY_SIZE).</summary>
    int MemoryLimitInMB { get; }

    /// <summary>Time left until <see cref="Deadline"/>; never negative.</summary>
    TimeSpan RemainingTime { get; }

    /// <summary>The CloudWatch log group (env AWS_LAMBDA_LOG_GROUP_NAME).</summary>
    string LogGroupName { get; }

    /// <summary>The CloudWatch log stream (env AWS_LAMBDA_LOG_STREAM_NAME).</summary>
    string LogStreamName { get; }

    /// <summary>The X-Ray trace header of this invocation (header Lambda-Runtime-Trace-Id); null when none was sent.</summary>
    string? TraceId { get; }

    /// <summary>When this invocation times out (header Lambda-Runtime-Deadline-Ms).</summary>
    DateTimeOffset Deadline { get; }
}
