using System.Globalization;
using Amazon.Lambda.Core;

namespace Amazon.Lambda.Subset.Internal;

/// <summary>The context of one invocation, from its Runtime API headers and the function's environment, as the official one.</summary>
internal sealed class LambdaContext : ILambdaContext
{
    private readonly RuntimeApiHeaders _headers;
    private readonly long _deadlineMs;

    public LambdaContext(RuntimeApiHeaders headers, ConsoleLogger consoleLogger)
    {
        _headers = headers;
        Logger = new LambdaConsoleLogger(consoleLogger);

        // Unparsable values read as 0, as in the official runtime (a missing deadline means no time left).
        long.TryParse(headers.DeadlineMs, NumberStyles.Integer, CultureInfo.InvariantCulture, out _deadlineMs);
        int.TryParse(Environment.GetEnvironmentVariable(EnvironmentNames.FunctionMemorySize), NumberStyles.Integer, CultureInfo.InvariantCulture, out var memory);
        MemoryLimitInMB = memory;
        FunctionName = Environment.GetEnvironmentVariable(EnvironmentNames.FunctionName);
        FunctionVersion = Environment.GetEnvironmentVariable(EnvironmentNames.FunctionVersion);
        LogGroupName = Environment.GetEnvironmentVariable(EnvironmentNames.LogGroupName);
        LogStreamName = Environment.GetEnvironmentVariable(EnvironmentNames.LogStreamName);
    }

    public string AwsRequestId => _headers.AwsRequestId;

    // Mobile SDK callers only; the functions here are never invoked that way.
    public IClientContext ClientContext => null;

    public string FunctionName { get; }

    public string FunctionVersion { get; }

    public ICognitoIdentity Identity => null;

    public string InvokedFunctionArn => _headers.InvokedFunctionArn;

    public ILambdaLogger Logger { get; }

    public string LogGroupName { get; }

    public string LogStreamName { get; }

    public int MemoryLimitInMB { get; }

    public TimeSpan RemainingTime => TimeSpan.FromMilliseconds(_deadlineMs - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    public string TraceId => _headers.TraceId;

    private sealed class LambdaConsoleLogger(ConsoleLogger consoleLogger) : ILambdaLogger
    {
        public void Log(string message) => Console.Write(message);

        public void LogLine(string message) => consoleLogger.WriteLine(message);
    }
}
