using System.Text;
using System.Text.Json;
using Amazon.Lambda.Core;
using Amazon.Lambda.RuntimeSupport;

// TEST_FUNCTION_MODE: "init-throws", "init-false", otherwise a handler that answers by event:
// "throw" → an unhandled exception; "log" → writes through Console and the context's logger;
// {"barrier": N} → logs a line, waits (at most 10 s) until N invocations are in the handler at once, logs another;
// anything else → a JSON description of what the runtime handed over.
ThreadPool.GetMinThreads(out var initialMinWorkerThreads, out _);
var mode = Environment.GetEnvironmentVariable("TEST_FUNCTION_MODE");
Console.WriteLine("init started");

using var bootstrap = LambdaBootstrapBuilder
    .Create((Stream input, ILambdaContext context) => Handler.HandleAsync(input, context, initialMinWorkerThreads))
    .UseBootstrapHandler(() => mode switch
    {
        "init-throws" => throw new InvalidOperationException("the init failed on purpose"),
        "init-false" => Task.FromResult(false),
        _ => Task.FromResult(true),
    })
    .Build();
await bootstrap.RunAsync();
return 0;

internal static class Handler
{
    private static readonly TimeSpan BarrierTimeout = TimeSpan.FromSeconds(10);
    private static int _inHandler;

    public static async Task<Stream> HandleAsync(Stream input, ILambdaContext context, int initialMinWorkerThreads)
    {
        using var reader = new StreamReader(input, Encoding.UTF8);
        var payload = await reader.ReadToEndAsync();
        bool? barrierReached = null;
        switch (payload)
        {
            case "\"throw\"":
                throw new ArgumentException("the handler failed on purpose", new FormatException("the cause"));
            case "\"log\"":
                Console.WriteLine("a line on stdout");
                Console.Error.WriteLine("a line on stderr");
                context.Logger.LogLine("a line through the context's logger");
                break;
            case ['{', '"', 'b', ..]:
                barrierReached = await BarrierAsync(JsonDocument.Parse(payload).RootElement.GetProperty("barrier").GetInt32(), context);
                break;
        }

        ThreadPool.GetMinThreads(out var minWorkerThreads, out _);
        var output = new MemoryStream();
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            writer.WriteString("event", payload);
            writer.WriteString("awsRequestId", context.AwsRequestId);
            writer.WriteNumber("remainingMs", (long)context.RemainingTime.TotalMilliseconds);
            writer.WriteString("functionName", context.FunctionName);
            writer.WriteString("functionVersion", context.FunctionVersion);
            writer.WriteString("invokedFunctionArn", context.InvokedFunctionArn);
            writer.WriteNumber("memoryLimitInMB", context.MemoryLimitInMB);
            writer.WriteString("logGroupName", context.LogGroupName);
            writer.WriteString("logStreamName", context.LogStreamName);
            writer.WriteString("traceId", context.TraceId);
            writer.WriteString("traceProvider", LambdaTraceProvider.CurrentTraceId);
            writer.WriteString("traceEnvironment", Environment.GetEnvironmentVariable("_X_AMZN_TRACE_ID"));
            writer.WriteNumber("processorCount", Environment.ProcessorCount);
            writer.WriteNumber("initialMinWorkerThreads", initialMinWorkerThreads);
            writer.WriteNumber("minWorkerThreads", minWorkerThreads);
            if (barrierReached is { } reached)
            {
                writer.WriteBoolean("barrierReached", reached);
            }

            writer.WriteEndObject();
        }

        output.Position = 0;
        return output;
    }

    // Proves invocations overlap without timing them: each waits for the others to arrive. Served one at a time, the
    // first would wait out the timeout alone.
    private static async Task<bool> BarrierAsync(int count, ILambdaContext context)
    {
        Console.WriteLine("barrier entered by " + context.AwsRequestId);
        Interlocked.Increment(ref _inHandler);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (Volatile.Read(ref _inHandler) < count && waited.Elapsed < BarrierTimeout)
        {
            await Task.Delay(5);
        }

        var reached = Volatile.Read(ref _inHandler) >= count;
        context.Logger.LogLine("barrier left by " + context.AwsRequestId);
        return reached;
    }
}
