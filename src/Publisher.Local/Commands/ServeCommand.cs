namespace Publisher.Local.Commands;

/// <summary>The default command: run the whole service locally until Ctrl+C.</summary>
internal static class ServeCommand
{
    public static async Task<int> RunAsync(CommandLine args, TextWriter output, CancellationToken cancellationToken)
    {
        var apiKey = args.Option("api-key");
        var options = new LocalServiceOptions
        {
            ApiPort = args.Int("api-port", LocalServiceOptions.DefaultApiPort, 0, 65535),
            TopicsPort = args.Int("topics-port", LocalServiceOptions.DefaultTopicsPort, 0, 65535),
            CacheName = args.Option("cache") ?? "default-cache",
            ApiKey = apiKey,
            Log = output,
        };
        args.RejectUnknown();

        await using var service = await LocalService.StartAsync(options, cancellationToken).ConfigureAwait(false);
        var api = service.ApiUrl.ToString().TrimEnd('/');
        await output.WriteLineAsync($"Publish API:   {api}  (POST /topics, POST /topics/{{topicName}}, POST /batch, GET|POST /verify)").ConfigureAwait(false);
        await output.WriteLineAsync($"Topics server: {service.MomentoTarget}  (cache '{options.CacheName}')").ConfigureAwait(false);
        await output.WriteLineAsync("Publish something:").ConfigureAwait(false);
        await output.WriteLineAsync("  " + service.SampleCurl(apiKey)).ConfigureAwait(false);
        if (service.TopicsServer is not null)
        {
            await output.WriteLineAsync("Watch it arrive (another terminal):").ConfigureAwait(false);
            await output.WriteLineAsync($"  dotnet run --project src/Publisher.Local -- subscribe --topic my-topic --topics-port {service.TopicsServer.Port}").ConfigureAwait(false);
        }

        await output.WriteLineAsync("Ctrl+C stops.").ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        return 0;
    }
}
