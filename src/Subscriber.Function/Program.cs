using Amazon.Lambda.Core;
using Amazon.Lambda.RuntimeSupport;
using Functions.Common.Configuration;
using Functions.Common.Hosting;
using Functions.Common.Observability;
using Subscriber.Function;

// The provided.al2023 bootstrap, on Amazon.Lambda.RuntimeSupport: the init phase (settings, key, warm
// connection) runs in the bootstrap handler, so a failure reaches /runtime/init/error; then every
// invocation runs the one function of this execution environment.
var environment = SettingsReader.FromProcessEnvironment();
var log = FunctionLog.ForLambda(Environment.GetEnvironmentVariable);
SubscriberFunction? function = null;

using var bootstrap = LambdaBootstrapBuilder
    .Create((Stream input, ILambdaContext context) => function!.HandleAsync(input, context))
    .UseBootstrapHandler(async () =>
    {
        function = await SubscriberFunction.InitializeAsync(environment, log, CancellationToken.None).ConfigureAwait(false);
        return true;
    })
    .Build();

return await BootstrapExit.RunAsync(bootstrap, log).ConfigureAwait(false);
