using Amazon.Lambda.Core;
using Amazon.Lambda.RuntimeSupport;
using Functions.Common.Configuration;
using Functions.Common.Hosting;
using Functions.Common.Observability;
using Publisher.Function;

// The provided.al2023 bootstrap, on Amazon.Lambda.RuntimeSupport: the init phase (settings, key, warm
// connection) runs in the bootstrap handler, so a failure reaches /runtime/init/error; then every
// invocation runs the one function of this execution environment.
// PUBLISHER_STARTUP_TIMELINE=1 adds the benchmark's timeline marks; without it there is no timeline at all.
var timeline = StartupTimeline.FromEnvironment(Environment.GetEnvironmentVariable, System.Diagnostics.Stopwatch.GetTimestamp());
var environment = SettingsReader.FromProcessEnvironment();
var log = FunctionLog.ForLambda(Environment.GetEnvironmentVariable);
PublisherFunction? function = null;

Func<Stream, ILambdaContext, Task<Stream>> handler = timeline is null
    ? (input, context) => function!.HandleAsync(input, context)
    : async (input, context) =>
    {
        timeline.Mark("handler called");
        var output = await function!.HandleAsync(input, context).ConfigureAwait(false);
        timeline.Mark("handler returned");
        timeline.Write();
        return output;
    };

using var bootstrap = LambdaBootstrapBuilder
    .Create(handler)
    .UseBootstrapHandler(async () =>
    {
        function = await PublisherFunction.InitializeAsync(environment, log, CancellationToken.None, timeline).ConfigureAwait(false);
        return true;
    })
    .Build();

return await BootstrapExit.RunAsync(bootstrap, log).ConfigureAwait(false);
