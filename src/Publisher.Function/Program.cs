using Amazon.Lambda.RuntimeSupport;
using Functions.Common.Configuration;
using Functions.Common.Observability;
using Publisher.Function;

// The provided.al2023 bootstrap: init once (config, key, warm connection), then serve invocations.
var log = new FunctionLog(Console.Out);
return await LambdaBootstrap.RunAsync(async cancellationToken =>
{
    var function = await PublisherFunction.InitializeAsync(SettingsReader.FromProcessEnvironment(), log, cancellationToken).ConfigureAwait(false);
    return function.HandleAsync;
}).ConfigureAwait(false);
