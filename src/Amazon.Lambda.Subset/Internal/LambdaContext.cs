using System.Globalization;
using Amazon.Lambda.Core;

namespace Amazon.Lambda.Subset.Internal;

/// <summary>The context of one invocation, from its Runtime API headers and the function's environment, as the official one.</summary>
internal sealed class LambdaContext : ILambdaContext
{
    private readonly RuntimeApiHeaders _headers;
    private readonly FunctionEnvironment _function;
    private readonly long _deadlineMs;

    public LambdaContext(RuntimeApiHeaders headers, FunctionEnvironment function, ILambdaLogger logger)
    {
        _headers = headers;
        _function = function;
        Logger = logger;

        // An unparsable deadline reads as 0, as in the official runtime: no time left.
        long.TryParse(headers.DeadlineMs, NumberStyles.Integer, CultureInfo.InvariantCulture, out _deadlineMs);
    }

    public string AwsRequestId => _headers.AwsRequestId;

    // Mobile SDK callers only; the functions here are never invoked that way.
    public IClientContext ClientContext => null;

    public string FunctionName => _function.FunctionName;

    public string FunctionVersion => _function.FunctionVersion;

    public ICognitoIdentity Identity => null;

    public string InvokedFunctionArn => _headers.InvokedFunctionArn;

    public ILambdaLogger Logger { get; }

    public string LogGroupName => _function.LogGroupName;

    public string LogStreamName => _function.LogStreamName;

    public int MemoryLimitInMB => _function.MemoryLimitInMB;

    public TimeSpan RemainingTime => TimeSpan.FromMilliseconds(_deadlineMs - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    public string TraceId => _headers.TraceId;
}

/// <summary>The context's logger: through the runtime's Console redirection, as the official one.</summary>
internal sealed class LambdaConsoleLogger(ConsoleLogger consoleLogger) : ILambdaLogger
{
    public void Log(string message) => Console.Write(message);

    public void LogLine(string message) => consoleLogger.WriteLine(message);
}
