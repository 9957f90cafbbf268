using System.Text.Json;
using Amazon.Lambda.Core;
using Functions.Common.Configuration;
using Functions.Common.Http;
using Functions.Common.Momento;
using Functions.Common.Observability;
using Momento.Topics.Client;
using Subscriber.Function.Internal;

namespace Subscriber.Function;

/// <summary>
/// The companion subscriber Lambda: runs bounded verification sessions that prove published values reach
/// subscribers. Invoked through the API (<c>GET</c>/<c>POST /verify</c>) or directly with a JSON request.
/// </summary>
public sealed class SubscriberFunction : IAsyncDisposable
{
    private readonly SubscriberSettings _settings;
    private readonly MomentoConnection _momento;
    private readonly FunctionLog _log;
    private readonly VerifyRequestParser _parser;
    private readonly ApiGatewayAdapter _apiGateway = new();

    /// <summary>Creates the function over an open Momento connection.</summary>
    public SubscriberFunction(SubscriberSettings settings, MomentoConnection momento, FunctionLog log)
    {
        _settings = settings;
        _momento = momento;
        _log = log;
        _parser = new VerifyRequestParser(settings);
    }

    /// <summary>The init phase: configuration, key, one warm client.</summary>
    public static async Task<SubscriberFunction> InitializeAsync(SettingsReader environment, FunctionLog log, CancellationToken cancellationToken)
    {
        var settings = SubscriberSettings.FromEnvironment(environment);
        var momento = await MomentoConnection.OpenAsync(settings.Momento, environment, log, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new SubscriberFunction(settings, momento, log);
    }

    /// <summary>The Lambda handler (the runtime's Stream shape): an API Gateway event or a direct JSON request in, the matching answer out.</summary>
    public Task<Stream> HandleAsync(Stream input, ILambdaContext context) => HandleAsync(input, context, CancellationToken.None);

    /// <summary>The handler with a token that abandons the session (the local runner passes the HTTP request's).</summary>
    public async Task<Stream> HandleAsync(Stream input, ILambdaContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var payload = await ApiGatewayAdapter.ReadPayloadAsync(input, cancellationToken).ConfigureAwait(false);
        EventShape? shape;
        try
        {
            shape = ApiGatewayAdapter.DetectShape(payload.Span);
        }
        catch (InvalidEventException e)
        {
            return Serialize(ProblemTypes.Invalid(e.Message));
        }

        if (shape is null)
        {
            // Direct invocation: the request is the payload and the result is the answer.
            var direct = _parser.FromJson(payload.Span, out var problem);
            if (direct is null)
            {
                return Serialize(problem!);
            }

            var outcome = await VerifyAsync(direct, context, cancellationToken).ConfigureAwait(false);
            return outcome.Problem is not null ? Serialize(outcome.Problem) : Serialize(outcome.Result!);
        }

        ApiResponse response;
        try
        {
            var (parsedShape, request) = _apiGateway.Parse(payload, 64 * 1024);
            shape = parsedShape;
            response = await HandleAsync(request, context, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidEventException e)
        {
            response = ProblemTypes.Invalid(e.Message).ToResponse(null);
        }

        return _apiGateway.Serialize(response, shape.Value);
    }

    /// <summary>Serves <c>GET /verify</c> (query) and <c>POST /verify</c> (JSON body).</summary>
    public async Task<ApiResponse> HandleAsync(ApiRequest request, ILambdaContext context, CancellationToken cancellationToken)
    {
        if (request.Path != "/verify")
        {
            return ProblemTypes.RouteNotFound(request.Method, request.Path.Length > 128 ? request.Path[..128] : request.Path).ToResponse(request.RequestId);
        }

        Problem? problem;
        VerifyRequest? verify;
        switch (request.Method)
        {
            case "GET":
                verify = _parser.FromQuery(request.Query, out problem);
                break;
            case "POST":
                if (request.BodyTooLarge)
                {
                    return ProblemTypes.TooLarge("The request body is too large.").ToResponse(request.RequestId);
                }

                if (request.MediaType is not MediaTypes.Json)
                {
                    return ProblemTypes.UnsupportedMedia("POST /verify takes application/json.").ToResponse(request.RequestId);
                }

                verify = _parser.FromJson(request.Body ?? [], out problem);
                break;
            default:
                var wrong = ProblemTypes.WrongMethod(request.Method, "/verify", "GET, POST").ToResponse(request.RequestId);
                return wrong with { Headers = new Dictionary<string, string> { ["Allow"] = "GET, POST" } };
        }

        if (verify is null)
        {
            return problem!.ToResponse(request.RequestId);
        }

        var outcome = await VerifyAsync(verify, context, cancellationToken).ConfigureAwait(false);
        return outcome.Problem is not null
            ? outcome.Problem.ToResponse(request.RequestId)
            : ApiResponse.Json(200, outcome.Result!.WriteTo);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _momento.DisposeAsync();

    private async Task<(VerifyResult? Result, Problem? Problem)> VerifyAsync(VerifyRequest request, ILambdaContext context, CancellationToken cancellationToken)
    {
        var remaining = context.RemainingTime - SubscriberSettings.DeadlineMargin;
        var budget = request.Listen < remaining ? request.Listen : remaining;
        if (budget <= TimeSpan.Zero)
        {
            return (null, new Problem(ProblemTypes.Timeout, "No time left.", 504, "The invocation had no time left to listen in."));
        }

        var result = await VerificationSession.RunAsync(_momento.Client, _momento.CacheName, request, budget, _log, cancellationToken).ConfigureAwait(false);
        _log.Info("verification", w =>
        {
            w.WriteString("requestId", context.AwsRequestId);
            w.WriteString("topic", request.Topic);
            w.WriteString("condition", result.Condition);
            w.WriteBoolean("conditionMet", result.ConditionMet);
            w.WriteNumber("items", result.Items.Count);
            w.WriteNumber("heartbeats", result.Heartbeats);
            w.WriteNumber("discontinuities", result.Discontinuities.Count);
            w.WriteNumber("listenedMs", Math.Round(result.Listened.TotalMilliseconds, 3));
            if (result.Error is not null)
            {
                w.WriteString("errorCode", result.Error.Code.ToMomentoName());
                w.WriteString("error", result.Error.Message);
            }
        });

        if (result.Error is { } error)
        {
            return (null, error.Code switch
            {
                MomentoErrorCode.NotFoundError or MomentoErrorCode.AuthenticationError or MomentoErrorCode.PermissionError =>
                    new Problem(ProblemTypes.UpstreamMisconfigured, "The subscriber is misconfigured.", 502,
                        "The subscriber cannot reach its Momento cache with its credentials. The operators have the details in the function's logs."),
                MomentoErrorCode.InvalidArgumentError or MomentoErrorCode.BadRequestError =>
                    ProblemTypes.Invalid("Momento rejected the subscription as invalid.", "topic"),
                _ => new Problem(ProblemTypes.UpstreamError, "Momento failed.", 502, "The subscription failed."),
            });
        }

        return (result, null);
    }

    private static MemoryStream Serialize(Problem problem) => Write(w => problem.WriteTo(w, null));

    private static MemoryStream Serialize(VerifyResult result) => Write(result.WriteTo);

    private static MemoryStream Write(Action<Utf8JsonWriter> write)
    {
        var output = new MemoryStream(512);
        using (var writer = new Utf8JsonWriter(output, Functions.Common.Observability.JsonOutput.WriterOptions))
        {
            write(writer);
        }

        output.Position = 0;
        return output;
    }
}
