using Amazon.Lambda.Core;
using Amazon.Lambda.RuntimeSupport;
using Functions.Common.Configuration;
using Functions.Common.Observability;
using Publisher.Function;

// The provided.al2023 bootstrap, on Amazon.Lambda.RuntimeSupport: the init phase (settings, key, warm
// connection) runs in the bootstrap handler, so a failure reaches /runtime/init/error; then every
// invocation runs the one function of this execution environment.
var environment = SettingsReader.FromProcessEnvironment();
var log = FunctionLog.ForLambda(Environment.GetEnvironmentVariable);
PublisherFunction? function = null;

using var bootstrap = LambdaBootstrapBuilder
    .Create((Stream input, ILambdaContext context) => function!.HandleAsync(input, context))
    .UseBootstrapHandler(async () =>
    {
        function = await PublisherFunction.InitializeAsync(environment, log, CancellationToken.None).ConfigureAwait(false);
        return true;
    })
    .Build();

try
{
    await bootstrap.RunAsync().ConfigureAwait(false);
    return 0;
}
catch (Exception e)
{
    // The runtime already logged and reported it (init error) or it is fatal (the Runtime API failed): exit non-zero.
    log.Error("The runtime stopped", w => w.WriteString("errorType", e.GetType().Name));
    return 1;
}
