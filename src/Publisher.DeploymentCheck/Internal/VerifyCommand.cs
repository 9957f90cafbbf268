using System.CommandLine;
using System.Globalization;
using CommandLineSupport;
using Publisher.Contracts;

namespace Publisher.DeploymentCheck.Internal;

/// <summary><c>verify --url URL</c>: proves a deployment (or the local service) delivers what it accepts.</summary>
internal static class VerifyCommand
{
    /// <summary>The longest session the subscriber can hold through API Gateway (29 s integration timeout).</summary>
    private const int MaxTimeoutSeconds = HttpContract.MaxVerifyListenMs / 1000;

    /// <summary>The largest answer read (API Gateway's own payload limit): anything bigger is not the stack's, and is not buffered.</summary>
    private const int MaxAnswerBytes = 10 * 1024 * 1024;

    public static Command Create()
    {
        var url = new Option<Uri>("--url")
        {
            Description = "the stack's ApiUrl output (or the local service, e.g. http://127.0.0.1:3000)",
            HelpName = "URL",
            Required = true,
            CustomParser = result =>
            {
                var text = result.Tokens[^1].Value;
                if (Uri.TryCreate(text, UriKind.Absolute, out var parsed) && (parsed.Scheme == Uri.UriSchemeHttp || parsed.Scheme == Uri.UriSchemeHttps))
                {
                    return parsed;
                }

                result.AddError($"--url must be an absolute http(s) URL, such as the stack's ApiUrl output, not '{text}'.");
                return null;
            },
        };
        var apiKey = CommandLineRunner.TextOption("--api-key", "the API key (the stack's default auth mode)", "KEY");
        var iam = new Option<bool>("--iam") { Description = "sign with SigV4 (a stack deployed with -c authMode=iam), credentials found as the AWS CLI finds them" };
        var profile = CommandLineRunner.TextOption("--profile", "sign with SigV4 using this profile of the shared AWS config (implies --iam)", "NAME");
        var region = CommandLineRunner.TextOption("--region", "the region to sign for (default: from an execute-api URL, AWS_REGION or the profile)", "REGION");
        var topic = CommandLineRunner.TextOption("--topic", "the topic to publish probes to (default: a fresh one per run)", "NAME");
        var timeout = CommandLineRunner.IntOption("--timeout-seconds", "how long the subscriber listens for a probe", 20, 1, MaxTimeoutSeconds);

        var command = new Command("verify", "Check a deployment end to end: the subscriber listens, probes go through POST /topics until it reports one.")
        {
            url, apiKey, iam, profile, region, topic, timeout,
        };
        command.Validators.Add(result =>
        {
            var signs = result.GetValue(iam) || result.GetResult(profile) is not null;
            if (signs && result.GetResult(apiKey) is not null)
            {
                result.AddError("Give --api-key or --iam/--profile, not both: the stack uses one auth mode.");
            }
            else if (!signs && result.GetResult(region) is not null)
            {
                result.AddError("--region is the SigV4 signing region: use it with --iam or --profile.");
            }
        });
        command.SetAction((parse, cancellationToken) => RunAsync(
            new Options(
                parse.GetValue(url)!,
                parse.GetValue(apiKey),
                parse.GetValue(iam) || parse.GetValue(profile) is not null,
                parse.GetValue(profile),
                parse.GetValue(region),
                parse.GetValue(topic),
                TimeSpan.FromSeconds(parse.GetValue(timeout))),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            cancellationToken));
        return command;
    }

    private sealed record Options(Uri Url, string? ApiKey, bool Iam, string? Profile, string? Region, string? Topic, TimeSpan Timeout);

    private static async Task<int> RunAsync(Options options, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var url = options.Url;
        // No redirects: API Gateway sends none, and following one would turn the POSTs into GETs and carry the key elsewhere.
        HttpMessageHandler handler = new SocketsHttpHandler { AllowAutoRedirect = false };
        if (options.Iam)
        {
            AwsIdentity.Resolved identity;
            try
            {
                identity = await AwsIdentity.ResolveAsync(options.Profile, options.Region, url, cancellationToken).ConfigureAwait(false);
            }
            catch (SetupException e)
            {
                handler.Dispose();
                await error.WriteLineAsync(e.Message).ConfigureAwait(false);
                return CommandLineRunner.UsageError;
            }

            await output.WriteLineAsync($"Signing with SigV4 for {identity.Region}, credentials from {identity.Source}").ConfigureAwait(false);
            handler = new SigV4Handler(identity.Credentials, identity.Region, handler);
        }

        var slack = TimeSpan.FromSeconds(15);
        using var http = new HttpClient(handler) { Timeout = options.Timeout + slack, MaxResponseContentBufferSize = MaxAnswerBytes };
        try
        {
            var outcome = await new DeploymentVerifier(http, url, options.ApiKey, output).RunAsync(options.Topic, options.Timeout, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync(outcome.Message).ConfigureAwait(false);
            return outcome.ExitCode;
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConfigurationLimitExceeded)
        {
            await output.WriteLineAsync($"{url} answered with a body over {MaxAnswerBytes / (1024 * 1024)} MiB, more than any answer of the stack: is --url the stack's ApiUrl output?").ConfigureAwait(false);
            return 1;
        }
        catch (HttpRequestException e)
        {
            // Past connecting (the server reset or closed the connection), the outer message says only "an error
            // occurred while sending the request": the inner one says what happened.
            await output.WriteLineAsync(e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError
                ? $"cannot reach {url}: {e.Message}"
                : $"the connection to {url} failed mid-request: {e.InnerException?.Message ?? e.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await output.WriteLineAsync($"no answer from {url} within {(options.Timeout + slack).TotalSeconds.ToString("F0", CultureInfo.InvariantCulture)} s").ConfigureAwait(false);
            return 1;
        }
    }
}
