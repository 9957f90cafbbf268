using Amazon.Lambda.Core;

namespace Tests.Shared;

/// <summary>An <see cref="ILambdaContext"/> for calling a handler in the test process, as the runtime would:
/// a fresh request id and a deadline <c>remaining</c> from now on <c>time</c> (default: the system clock; a fake one makes
/// the remaining time exact).</summary>
internal sealed class TestLambdaContext(TimeSpan remaining, string? traceId = null, TimeProvider? time = null) : ILambdaContext
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly DateTimeOffset _deadline = (time ?? TimeProvider.System).GetUtcNow() + remaining;

    public string AwsRequestId { get; } = Guid.NewGuid().ToString();

    public IClientContext ClientContext => null!;

    public string FunctionName => "test-function";

    public string FunctionVersion => "$LATEST";

    public ICognitoIdentity Identity => null!;

    public string InvokedFunctionArn => "arn:aws:lambda:us-east-1:123456789012:function:test-function";

    public ILambdaLogger Logger { get; } = new NullLogger();

    public string LogGroupName => "/aws/lambda/test-function";

    public string LogStreamName => "test";

    public int MemoryLimitInMB => 256;

    public TimeSpan RemainingTime => _deadline - _time.GetUtcNow();

    public string TraceId { get; } = traceId ?? string.Empty;

    private sealed class NullLogger : ILambdaLogger
    {
        public void Log(string message)
        {
        }

        public void LogLine(string message)
        {
        }
    }
}
