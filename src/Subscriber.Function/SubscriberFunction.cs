using System.Text.Json;
using Amazon.Lambda.Core;
using Functions.Common.Configuration;
using Functions.Common.Http;
using Functions.Common.Momento;
using Functions.Common.Observability;
using Momento.Topics.Client;
using Publisher.Contracts;
using Subscriber.Function.Internal;
using static Publisher.Contracts.HttpContract;

namespace Subscriber.Function;

/// <summary>
/// The companion subscriber Lambda: runs bounded verification sessions that prove published values reach
/// subscribers. Invoked through the API (<c>GET</c>/<c>POST /verify</c>) or directly with a JSON request.
/// </summary>
/// <remarks>
/// The same pipeline as the publisher's: event (<see cref="ApiGatewayAdapter"/>, or the payload itself when it is
/// not an API Gateway event) → route (<c>/verify</c>) → parse (<see cref="VerifyRequestReader"/>) → listen
/// (<see cref="VerificationSession"/>) → answer (<see cref="VerifyResult"/> or a problem).
/// </remarks>
public sealed class SubscriberFunction : IAsyncDisposable
{
    private const string AllowedMethods = "GET, POST";

    /// <summary>The error code logged when Momento rejected the key and re-reading it failed.</summary>
    public const string KeyRereadFailedCode = "KEY_REREAD_FAILED";

    private readonly ProblemTypeBase _problemTypes;
    private readonly MomentoConnection _momento;
    private readonly FunctionLog _log;
    private readonly TimeProvider _time;
    private readonly VerifyRequestReader _reader;
    private readonly ApiGatewayAdapter _events = new();

    /// <summary>Creates the function over an open Momento connection.</summary>
    /// <param name="settings">The session bound and where problem types are documented.</param>
    /// <param name="momento">The connection every session subscribes over.</param>
    /// <param name="log">Where sessions and topic events are logged.</param>
    /// <param name="time">The clock sessions are timed and bounded by; null means <see cref="TimeProvider.System"/>.</param>
    public SubscriberFunction(SubscriberSettings settings, MomentoConnection momento, FunctionLog log, TimeProvider? time = null)
    {
        _problemTypes = settings.ProblemTypes;
        _momento = momento;
        _log = log;
        _time = time ?? TimeProvider.System;
        _reader = new VerifyRequestReader(settings);
    }

    /// <summary>The init phase: configuration, key, one warm client.</summary>
    public static async Task<SubscriberFunction> InitializeAsync(
        SettingsReader environment, FunctionLog log, CancellationToken cancellationToken, TimeProvider? time = null)
    {
        var settings = SubscriberSettings.FromEnvironment(environment);
        var momento = await MomentoConnection.OpenAsync(settings.Momento, environment, log, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new SubscriberFunction(settings, momento, log, time);
    }

    /// <summary>The Lambda handler (the runtime's Stream shape): an API Gateway event or a direct JSON request in, the matching answer out.</summary>
    public Task<Stream> HandleAsync(Stream input, ILambdaContext context) => HandleAsync(input, context, CancellationToken.None);

    /// <summary>The same handler with a token that abandons the session (the local runner passes the HTTP request's).</summary>
    public async Task<Stream> HandleAsync(Stream input, ILambdaContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var payload = await ApiGatewayAdapter.ReadPayloadAsync(input, cancellationToken).ConfigureAwait(false);
        var shape = ApiGatewayAdapter.DetectShape(payload.Span);
        ApiResponse response;
        try
        {
            if (shape is null)
            {
                response = await DirectAsync(payload, context, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var (_, request) = _events.Read(payload, MaxVerifyBodyBytes);
                response = request.Failed
                    ? request.Problem.ToResponse(_problemTypes, null)
                    : await ServeAsync(request.Value, context, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A bug, not bad input: log the type only (messages may carry caller data), answer without details.
            _log.Error("The subscriber failed unexpectedly", w => w.WriteString("errorType", e.GetType().Name));
            response = new Problem(ProblemTypes.InternalError, "Internal error.", 500, "The subscriber failed unexpectedly.").ToResponse(_problemTypes, null);
        }

        // A direct invocation's answer is the result (or problem) itself, as JSON; an event's is in the event's shape.
        return shape is null ? new MemoryStream(response.Body, writable: false) : _events.Serialize(response, shape.Value);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _momento.DisposeAsync();

    private async Task<ApiResponse> DirectAsync(ReadOnlyMemory<byte> payload, ILambdaContext context, CancellationToken cancellationToken)
    {
        if (!IsVerifyRequestShaped(payload.Span))
        {
            return Problem.Invalid(
                "This is not an API Gateway event (it has neither httpMethod nor version \"2.0\") nor a verification request " +
                "({\"topic\", \"listenMs\", and one of \"count\", \"equals\", \"contains\"}).").ToResponse(_problemTypes, null);
        }

        var verify = _reader.FromJson(payload.Span, "The request");
        return verify.Failed
            ? verify.Problem.ToResponse(_problemTypes, null)
            : await VerifyAsync(verify.Value, context, null, cancellationToken).ConfigureAwait(false);
    }

    // Route → parse → listen.
    private async Task<ApiResponse> ServeAsync(ApiRequest request, ILambdaContext context, CancellationToken cancellationToken)
    {
        if (request.Route is not ["verify"])
        {
            return Problem.RouteNotFound(request.Method, request.Path).ToResponse(_problemTypes, request.RequestId);
        }

        Checked<VerifyRequest> verify;
        switch (request.Method)
        {
            case "GET":
                verify = _reader.FromQuery(request.Query);
                break;
            case "POST" when request.BodyTooLarge:
                return Problem.TooLarge($"The request body is larger than {MaxVerifyBodyBytes} bytes.").ToResponse(_problemTypes, request.RequestId);
            case "POST" when !MediaTypes.IsJson(request.MediaType):
                return Problem.UnsupportedMedia("POST /verify takes application/json.").ToResponse(_problemTypes, request.RequestId);
            case "POST" when MediaTypes.CheckUtf8Charset(request.Headers["content-type"]) is { } charset:
                return charset.ToResponse(_problemTypes, request.RequestId);
            case "POST":
                verify = _reader.FromJson(request.Body ?? [], "The body");
                break;
            default:
                return Problem.WrongMethod(request.Method, "/verify", AllowedMethods).ToResponse(_problemTypes, request.RequestId);
        }

        return verify.Failed
            ? verify.Problem.ToResponse(_problemTypes, request.RequestId)
            : await VerifyAsync(verify.Value, context, request.RequestId, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ApiResponse> VerifyAsync(VerifyRequest request, ILambdaContext context, string? requestId, CancellationToken cancellationToken)
    {
        var remaining = context.RemainingTime - SubscriberSettings.DeadlineMargin;
        var budget = request.Listen < remaining ? request.Listen : remaining;
        if (budget <= TimeSpan.Zero)
        {
            return new Problem(ProblemTypes.Timeout, "No time left.", 504, "The invocation had no time left to listen in.").ToResponse(_problemTypes, requestId);
        }

        var started = _time.GetTimestamp();
        var generation = _momento.Generation;
        var (result, error) = await VerificationSession.RunAsync(_momento.Client, _momento.CacheName, request, budget, _log, _time, cancellationToken).ConfigureAwait(false);
        string? ownCode = null;
        if (error is { Code: MomentoErrorCode.AuthenticationError })
        {
            // A rotated key: re-read it past the extension's cache and listen again, all within the session's budget.
            var left = budget - _time.GetElapsedTime(started);
            switch (await _momento.TryRotateAsync(generation, left, cancellationToken).ConfigureAwait(false))
            {
                case KeyRefresh.Rotated when budget - _time.GetElapsedTime(started) is { } rest && rest > TimeSpan.Zero:
                    (result, error) = await VerificationSession.RunAsync(_momento.Client, _momento.CacheName, request, rest, _log, _time, cancellationToken).ConfigureAwait(false);
                    break;
                case KeyRefresh.Failed:
                    ownCode = KeyRereadFailedCode;
                    break;
            }
        }

        _log.Info("verification", w =>
        {
            w.WriteString("requestId", context.AwsRequestId);
            w.WriteString("topic", request.Topic);
            w.WriteString("condition", result.Condition);
            w.WriteBoolean("conditionMet", result.ConditionMet);
            w.WriteNumber("items", result.Items.Count);
            w.WriteNumber("heartbeats", result.Heartbeats);
            w.WriteNumber("discontinuities", result.Discontinuities.Count);
            w.WriteNumber("listenedMs", result.ListenedMs);
            if (error is not null)
            {
                w.WriteString("errorCode", ownCode ?? error.Code.ToMomentoName());
                w.WriteString("error", error.Message);
            }
        });

        return error is null
            ? ApiResponse.Json(200, result, SubscriberJsonContext.Default.VerifyResult)
            : (ownCode is null ? Failure(error) : KeyRereadFailed).ToResponse(_problemTypes, requestId);
    }

    private static readonly Problem KeyRereadFailed = new(ProblemTypes.UpstreamMisconfigured, "The subscriber is misconfigured.", 502,
        "Momento rejected the subscriber's key and the current key could not be read from its secret. The operators have the details in the function's logs.");

    private static Problem Failure(TopicError error) => error.Code switch
    {
        MomentoErrorCode.NotFoundError or MomentoErrorCode.AuthenticationError or MomentoErrorCode.PermissionError =>
            new Problem(ProblemTypes.UpstreamMisconfigured, "The subscriber is misconfigured.", 502,
                "The subscriber cannot reach its Momento cache with its credentials. The operators have the details in the function's logs."),
        MomentoErrorCode.InvalidArgumentError or MomentoErrorCode.BadRequestError =>
            Problem.Invalid("Momento rejected the subscription as invalid.", "topic"),
        _ => new Problem(ProblemTypes.UpstreamError, "Momento failed.", 502, "The subscription failed."),
    };

    // A direct payload is read as a verification request when it is a JSON object naming at least one of its members
    // (or is not a JSON object at all, which the reader then explains); anything else is some other event.
    private static bool IsVerifyRequestShaped(ReadOnlySpan<byte> payload)
    {
        try
        {
            var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = StrictJson.MaxDepth });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return true;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("topic"u8) || reader.ValueTextEquals("listenMs"u8) || reader.ValueTextEquals("count"u8)
                    || reader.ValueTextEquals("equals"u8) || reader.ValueTextEquals("contains"u8))
                {
                    return true;
                }

                reader.Read();
                reader.Skip();
            }

            return false;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return true;
        }
    }
}
