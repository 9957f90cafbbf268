using System.Text;
using System.Text.Json;
using Amazon.Lambda.Core;
using Amazon.Lambda.RuntimeSupport;

// TEST_FUNCTION_MODE: "init-throws", "init-false", otherwise a handler that answers by event:
// "throw" → an unhandled exception; "log" → writes through Console and the context's logger;
// anything else → a JSON description of what the runtime handed over.
var mode = Environment.GetEnvironmentVariable("TEST_FUNCTION_MODE");
Console.WriteLine("init started");

using var bootstrap = LambdaBootstrapBuilder
    .Create((Stream input, ILambdaContext context) => HandleAsync(input, context))
    .UseBootstrapHandler(() => mode switch
    {
        "init-throws" => throw new InvalidOperationException("the init failed on purpose"),
        "init-false" => Task.FromResult(false),
        _ => Task.FromResult(true),
    })
    .Build();
await bootstrap.RunAsync();
return 0;

static async Task<Stream> HandleAsync(Stream input, ILambdaContext context)
{
    using var reader = new StreamReader(input, Encoding.UTF8);
    var payload = await reader.ReadToEndAsync();
    switch (payload)
    {
        case "\"throw\"":
            throw new ArgumentException("the handler failed on purpose", new FormatException("the cause"));
        case "\"log\"":
            Console.WriteLine("a line on stdout");
            Console.Error.WriteLine("a line on stderr");
            context.Logger.LogLine("a line through the context's logger");
            break;
    }

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
        writer.WriteString("traceEnvironment", Environment.GetEnvironmentVariable("_X_AMZN_TRACE_ID"));
        writer.WriteEndObject();
    }

    output.Position = 0;
    return output;
}
