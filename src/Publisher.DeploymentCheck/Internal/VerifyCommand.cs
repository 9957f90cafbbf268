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

    /// <summary>Where the JWT for an HTTP API's JWT authorizer is read from when <c>--bearer</c> is not given (a command line shows in the process list).</summary>
    public const string BearerVariable = "VERIFY_BEARER_TOKEN";

    public static Command Create(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var url = UrlOption("--url", "the stack's ApiUrl output (or the local service, e.g. http://127.0.0.1:3000)", required: true);
        var verifyUrl = UrlOption("--verify-url", "the subscriber's URL when it has its own (the SubscriberUrl output of a function URL stack); default --url", required: false);
        var apiKey = CommandLineRunner.TextOption("--api-key", "the API key (the REST API's default auth mode)", "KEY");
        var bearer = CommandLineRunner.TextOption("--bearer", $"a JWT for an HTTP API's JWT authorizer (default: ${BearerVariable}, which keeps it out of the process list)", "TOKEN");
        var iam = new Option<bool>("--iam") { Description = "sign with SigV4 (authMode=iam, an HTTP API's IAM auth, function URLs), credentials found as the AWS CLI finds them" };
        var profile = CommandLineRunner.TextOption("--profile", "sign with SigV4 using this profile of the shared AWS config (implies --iam)", "NAME");
        var region = CommandLineRunner.TextOption("--region", "the region to sign for (default: from an execute-api or function URL host, AWS_REGION or the profile)", "REGION");
        var service = new Option<string>("--aws-service")
        {
            Description = "the service to sign for (default: lambda for a *.lambda-url.REGION.on.aws URL, execute-api otherwise)",
            HelpName = "execute-api|lambda",
        };
        service.AcceptOnlyFromAmong(SigV4Handler.ExecuteApi, SigV4Handler.Lambda);
        var topic = CommandLineRunner.TextOption("--topic", "the topic to publish probes to (default: a fresh one per run)", "NAME");
        var timeout = CommandLineRunner.IntOption("--timeout-seconds", "how long the subscriber listens for a probe", 20, 1, MaxTimeoutSeconds);
        var idempotency = new Option<bool>("--idempotency")
        {
            Description = "then publish one probe twice with one Idempotency-Key and check that the second answer is a replay and the probe arrives once",
        };

        var command = new Command("verify", "Check a deployment end to end: the subscriber listens, probes go through POST /topics until it reports one.")
        {
            url, verifyUrl, apiKey, bearer, iam, profile, region, service, topic, timeout, idempotency,
        };
        command.Validators.Add(result =>
        {
            var signs = result.GetValue(iam) || result.GetResult(profile) is not null;
            var given = new[] { signs, result.GetResult(apiKey) is not null, result.GetResult(bearer) is not null }.Count(g => g);
            if (given > 1)
            {
                result.AddError("Give one of --api-key, --bearer and --iam/--profile: the stack's front door uses one auth mode.");
            }
            else if (!signs && result.GetResult(region) is not null)
            {
                result.AddError("--region is the SigV4 signing region: use it with --iam or --profile.");
            }
            else if (!signs && result.GetResult(service) is not null)
            {
                result.AddError("--aws-service is the SigV4 service: use it with --iam or --profile.");
            }
        });
        command.SetAction((parse, cancellationToken) =>
        {
            var signs = parse.GetValue(iam) || parse.GetValue(profile) is not null;
            var key = parse.GetValue(apiKey);
            // The variable is read only when no other credential was named, so a stray one never overrides a choice.
            var token = parse.GetValue(bearer) ?? (signs || key is not null ? null : NonBlank(environment(BearerVariable)));
            return RunAsync(
                new Options(
                    parse.GetValue(url)!,
                    parse.GetValue(verifyUrl),
                    new RequestAuth(key, token),
                    parse.GetValue(bearer) is null && token is not null,
                    signs,
                    parse.GetValue(profile),
                    parse.GetValue(region),
                    parse.GetValue(service),
                    parse.GetValue(topic),
                    TimeSpan.FromSeconds(parse.GetValue(timeout)),
                    parse.GetValue(idempotency)),
                parse.InvocationConfiguration.Output,
                parse.InvocationConfiguration.Error,
                cancellationToken);
        });
        return command;
    }

    private sealed record Options(
        Uri Url, Uri? VerifyUrl, RequestAuth Auth, bool TokenFromEnvironment, bool Iam, string? Profile, string? Region, string? Service, string? Topic, TimeSpan Timeout, bool Idempotency);

    private static string? NonBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static Option<Uri> UrlOption(string name, string description, bool required) => new(name)
    {
        Description = description,
        HelpName = "URL",
        Required = required,
        CustomParser = result =>
        {
            var text = result.Tokens[^1].Value;
            if (Uri.TryCreate(text, UriKind.Absolute, out var parsed) && (parsed.Scheme == Uri.UriSchemeHttp || parsed.Scheme == Uri.UriSchemeHttps))
            {
                return parsed;
            }

            result.AddError($"{name} must be an absolute http(s) URL, such as the stack's {(name == "--url" ? "ApiUrl" : "SubscriberUrl")} output, not '{text}'.");
            return null;
        },
    };

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

            var signFor = options.Service ?? SigV4Handler.ServiceOf(url);
            await output.WriteLineAsync($"Signing with SigV4 for {signFor} in {identity.Region}, credentials from {identity.Source}").ConfigureAwait(false);
            handler = new SigV4Handler(identity.Credentials, identity.Region, handler, signFor);
        }
        else if (options.TokenFromEnvironment)
        {
            await output.WriteLineAsync($"Sending the JWT in {BearerVariable} as a bearer token").ConfigureAwait(false);
        }

        var slack = TimeSpan.FromSeconds(15);
        using var http = new HttpClient(handler) { Timeout = options.Timeout + slack, MaxResponseContentBufferSize = MaxAnswerBytes };
        try
        {
            var verifier = new DeploymentVerifier(http, url, options.VerifyUrl, options.Auth, output);
            var outcome = await verifier.RunAsync(options.Topic, options.Timeout, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync(outcome.Message).ConfigureAwait(false);
            if (outcome.ExitCode != 0 || !options.Idempotency)
            {
                return outcome.ExitCode;
            }

            var keyed = await verifier.RunIdempotencyAsync(options.Topic, options.Timeout, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync(keyed.Message).ConfigureAwait(false);
            return keyed.ExitCode;
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
