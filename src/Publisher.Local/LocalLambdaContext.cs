using Amazon.Lambda.Core;

namespace Publisher.Local;

/// <summary>The <see cref="ILambdaContext"/> of an in-process invocation: what the Runtime API would say, with local names.</summary>
internal sealed class LocalLambdaContext : ILambdaContext
{
    private readonly DateTimeOffset _deadline;
    private readonly TimeProvider _time;

    public LocalLambdaContext(string functionName, TimeSpan timeout, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _deadline = _time.GetUtcNow() + timeout;
        AwsRequestId = Guid.NewGuid().ToString();
        FunctionName = functionName;
        InvokedFunctionArn = "arn:aws:lambda:local:000000000000:function:" + functionName;
        LogGroupName = "/aws/lambda/" + functionName;
    }

    public string AwsRequestId { get; }

    public IClientContext ClientContext => null!;

    public string FunctionName { get; }

    public string FunctionVersion => "$LATEST";

    public ICognitoIdentity Identity => null!;

    public string InvokedFunctionArn { get; }

    public ILambdaLogger Logger { get; } = new ConsoleLambdaLogger();

    public string LogGroupName { get; }

    public string LogStreamName => "local";

    public int MemoryLimitInMB => 256;

    public TimeSpan RemainingTime => _deadline - _time.GetUtcNow();

    public string TraceId => string.Empty;

    private sealed class ConsoleLambdaLogger : ILambdaLogger
    {
        public void Log(string message) => Console.Write(message);

        public void LogLine(string message) => Console.WriteLine(message);
    }
}
