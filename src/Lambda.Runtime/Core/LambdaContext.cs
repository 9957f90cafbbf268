using System.Globalization;
using Amazon.Lambda.RuntimeSupport;

namespace Amazon.Lambda.Core;

/// <summary>The <see cref="ILambdaContext"/> of one invocation; function settings come from the environment with local defaults.</summary>
public sealed class LambdaContext : ILambdaContext
{
    internal const string DefaultFunctionName = "local-function";
    internal const string DefaultFunctionVersion = "$LATEST";
    internal const int DefaultMemoryLimitInMB = 128;
    internal const string DefaultLogStreamName = "local";

    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a context. Function name, version, memory and log names are read from the
    /// environment (<see cref="LambdaEnvironment"/>); when unset they default to <c>local-function</c>,
    /// <c>$LATEST</c>, 128, <c>/aws/lambda/{name}</c> and <c>local</c>.</summary>
    /// <param name="awsRequestId">The invocation's request id.</param>
    /// <param name="deadline">When the invocation times out.</param>
    /// <param name="traceId">The X-Ray trace header, if any.</param>
    /// <param name="invokedFunctionArn">The invoked ARN; empty when unknown.</param>
    /// <param name="timeProvider">Clock for <see cref="RemainingTime"/>; null means <see cref="TimeProvider.System"/>.</param>
    public LambdaContext(string awsRequestId, DateTimeOffset deadline, string? traceId = null, string invokedFunctionArn = "", TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(awsRequestId);
        ArgumentNullException.ThrowIfNull(invokedFunctionArn);
        AwsRequestId = awsRequestId;
        Deadline = deadline;
        TraceId = traceId;
        InvokedFunctionArn = invokedFunctionArn;
        _timeProvider = timeProvider ?? TimeProvider.System;

        FunctionName = NonEmpty(LambdaEnvironment.FunctionName) ?? DefaultFunctionName;
        FunctionVersion = NonEmpty(LambdaEnvironment.FunctionVersion) ?? DefaultFunctionVersion;
        MemoryLimitInMB = int.TryParse(NonEmpty(LambdaEnvironment.FunctionMemorySize), NumberStyles.Integer, CultureInfo.InvariantCulture, out var memory)
            ? memory
            : DefaultMemoryLimitInMB;
        LogGroupName = NonEmpty(LambdaEnvironment.LogGroupName) ?? "/aws/lambda/" + FunctionName;
        LogStreamName = NonEmpty(LambdaEnvironment.LogStreamName) ?? DefaultLogStreamName;
    }

    /// <inheritdoc />
    public string AwsRequestId { get; }

    /// <inheritdoc />
    public string FunctionName { get; }

    /// <inheritdoc />
    public string FunctionVersion { get; }

    /// <inheritdoc />
    public string InvokedFunctionArn { get; }

    /// <inheritdoc />
    public int MemoryLimitInMB { get; }

    /// <inheritdoc />
    public TimeSpan RemainingTime
    {
        get
        {
            var remaining = Deadline - _timeProvider.GetUtcNow();
            return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
        }
    }

    /// <inheritdoc />
    public string LogGroupName { get; }

    /// <inheritdoc />
    public string LogStreamName { get; }

    /// <inheritdoc />
    public string? TraceId { get; }

    /// <inheritdoc />
    public DateTimeOffset Deadline { get; }

    private static string? NonEmpty(string variable)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        return string.IsNullOrEmpty(value) ? null : value;
    }
}
