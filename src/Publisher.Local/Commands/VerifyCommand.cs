using System.Globalization;

namespace Publisher.Local.Commands;

/// <summary><c>verify --url URL</c>: proves a deployment (or the local service) delivers what it accepts.</summary>
internal static class VerifyCommand
{
    public static async Task<int> RunAsync(CommandLine args, TextWriter output, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        var urlText = args.Required("url");
        var apiKey = args.Option("api-key");
        var iam = args.Flag("iam");
        var topic = args.Option("topic");
        var region = args.Option("region");
        var timeout = TimeSpan.FromSeconds(args.Int("timeout-seconds", 20, 1, Functions.Common.Http.HttpContract.MaxVerifyListenMs / 1000));
        args.RejectUnknown();
        if (!Uri.TryCreate(urlText, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new UsageException("--url must be an absolute http(s) URL, such as the stack's ApiUrl output.");
        }

        if (iam && apiKey is not null)
        {
            throw new UsageException("Give --api-key or --iam, not both: the stack uses one auth mode.");
        }

        HttpMessageHandler handler = new SocketsHttpHandler();
        if (iam)
        {
            region ??= SigV4Handler.RegionOf(url) ?? environment("AWS_REGION")
                ?? throw new UsageException("--iam needs --region (or AWS_REGION) when the URL is not an execute-api host.");
            handler = new SigV4Handler(SigV4Handler.AwsCredentials.FromEnvironment(environment), region, handler);
        }

        using var http = new HttpClient(handler) { Timeout = timeout + TimeSpan.FromSeconds(15) };
        try
        {
            var outcome = await new DeploymentVerifier(http, url, apiKey, output).RunAsync(topic, timeout, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync(outcome.Message).ConfigureAwait(false);
            return outcome.ExitCode;
        }
        catch (HttpRequestException e)
        {
            await output.WriteLineAsync($"cannot reach {url}: {e.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await output.WriteLineAsync($"no answer from {url} within {(timeout.TotalSeconds + 15).ToString("F0", CultureInfo.InvariantCulture)} s").ConfigureAwait(false);
            return 1;
        }
    }
}
