using System.Text;
using System.Text.Json;
using Amazon.Lambda.Core;
using Functions.Common.Configuration;
using Functions.Common.Http;
using Functions.Common.Momento;
using Functions.Common.Observability;
using Momento.Topics.Client;
using Publisher.Function.Internal;

namespace Publisher.Function;

/// <summary>
/// The publisher Lambda: API Gateway event in, validated publish to Momento Topics over the one warm
/// client of the execution environment, API Gateway response out.
/// </summary>
public sealed class PublisherFunction : IAsyncDisposable
{
    private const string AllowedMethods = "POST";

    private readonly PublisherSettings _settings;
    private readonly MomentoConnection _momento;
    private readonly FunctionLog _log;
    private readonly MessageParser _parser;
    private readonly ApiGatewayAdapter _apiGateway = new();
    private int _invocations;

    /// <summary>Creates the function over an open Momento connection.</summary>
    public PublisherFunction(PublisherSettings settings, MomentoConnection momento, FunctionLog log)
    {
        _settings = settings;
        _momento = momento;
        _log = log;
        _parser = new MessageParser(settings);
    }

    /// <summary>The settings this function runs with.</summary>
    public PublisherSettings Settings => _settings;

    /// <summary>
    /// The init phase: validates configuration, reads the key, builds and warms the client.
    /// Configuration errors throw <see cref="ConfigurationException"/>, which the bootstrap reports as an init error.
    /// </summary>
    public static async Task<PublisherFunction> InitializeAsync(SettingsReader environment, FunctionLog log, CancellationToken cancellationToken)
    {
        var settings = PublisherSettings.FromEnvironment(environment);
        var momento = await MomentoConnection.OpenAsync(settings.Momento, environment, log, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new PublisherFunction(settings, momento, log);
    }

    /// <summary>The Lambda handler (the runtime's Stream shape, because the payload version is told apart by content):
    /// an API Gateway event (REST 1.0 or HTTP API 2.0) in, the same shape's response out.</summary>
    public Task<Stream> HandleAsync(Stream input, ILambdaContext context) => HandleAsync(input, context, CancellationToken.None);

    /// <summary>The handler with a token that abandons the invocation (the local runner passes the HTTP request's).</summary>
    public async Task<Stream> HandleAsync(Stream input, ILambdaContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var started = _log.Time.GetTimestamp();
        var payload = await ApiGatewayAdapter.ReadPayloadAsync(input, cancellationToken).ConfigureAwait(false);
        var record = new InvocationRecord
        {
            LambdaRequestId = context.AwsRequestId,
            TraceId = context.TraceId,
            ColdStart = Interlocked.Increment(ref _invocations) == 1,
        };

        var shape = EventShape.RestApiV1;
        ApiResponse response;
        try
        {
            (shape, var request) = _apiGateway.Parse(payload, _settings.MaxBodyBytes);
            record.ApiRequestId = request.RequestId;
            response = await HandleAsync(request, context, record, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidEventException e)
        {
            response = ProblemTypes.Invalid(e.Message).ToResponse(null);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A bug, not bad input: log the type only (messages may carry caller data), answer without details.
            record.ErrorCode = "UNHANDLED_" + e.GetType().Name;
            response = new Problem(ProblemTypes.InternalError, "Internal error.", 500, "The publisher failed unexpectedly; the message may not have been published.")
                .ToResponse(record.ApiRequestId);
        }

        record.Status = response.StatusCode;
        record.Write(_log, _log.Time.GetElapsedTime(started));
        return _apiGateway.Serialize(response, shape);
    }

    /// <summary>Routes and serves one HTTP request.</summary>
    public Task<ApiResponse> HandleAsync(ApiRequest request, ILambdaContext context, CancellationToken cancellationToken) =>
        HandleAsync(request, context, new InvocationRecord(), cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _momento.DisposeAsync();

    private async Task<ApiResponse> HandleAsync(ApiRequest request, ILambdaContext context, InvocationRecord record, CancellationToken cancellationToken)
    {
        var segments = request.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        string? pathTopic = null;
        switch (segments)
        {
            case ["topics"]:
                record.Route = "/topics";
                break;
            case ["topics", var encoded]:
                record.Route = "/topics/{topicName}";

                // API Gateway's matched (decoded) parameter when there is one; else the percent-encoded segment.
                pathTopic = request.PathParameters.TryGetValue("topicName", out var matched) ? matched : Uri.UnescapeDataString(encoded);
                break;
            case ["batch"]:
                record.Route = "/batch";
                break;
            default:
                return ProblemTypes.RouteNotFound(request.Method, Truncate(request.Path)).ToResponse(request.RequestId);
        }

        if (request.Method != "POST")
        {
            var wrong = ProblemTypes.WrongMethod(request.Method, record.Route, AllowedMethods).ToResponse(request.RequestId);
            return wrong with { Headers = new Dictionary<string, string> { ["Allow"] = AllowedMethods } };
        }

        if (request.BodyTooLarge)
        {
            return ProblemTypes.TooLarge($"The request body is larger than {_settings.MaxBodyBytes} bytes.").ToResponse(request.RequestId);
        }

        var body = request.Body ?? [];
        if (pathTopic is not null)
        {
            return await PublishRawAsync(request, pathTopic, body, context, record, cancellationToken).ConfigureAwait(false);
        }

        if (!IsJson(request.MediaType))
        {
            return ProblemTypes.UnsupportedMedia(
                $"{record.Route} takes application/json; the request's content type is {(request.MediaType is null ? "missing" : "'" + request.MediaType + "'")}.")
                .ToResponse(request.RequestId);
        }

        using var document = MessageParser.ParseJson(body, out var problem);
        if (document is null)
        {
            return problem!.ToResponse(request.RequestId);
        }

        if (segments[0] == "batch")
        {
            var batch = _parser.ParseBatch(document.RootElement, out problem);
            return batch is null
                ? problem!.ToResponse(request.RequestId)
                : await PublishBatchAsync(request, batch, context, record, cancellationToken).ConfigureAwait(false);
        }

        var message = _parser.ParseMessage(document.RootElement, string.Empty, out problem);
        return message is null
            ? problem!.ToResponse(request.RequestId)
            : await PublishSingleAsync(request, message, context, record, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ApiResponse> PublishRawAsync(
        ApiRequest request, string topic, byte[] body, ILambdaContext context, InvocationRecord record, CancellationToken cancellationToken)
    {
        if (_parser.ValidatePathTopic(topic, out var problem) is null)
        {
            return problem!.ToResponse(request.RequestId);
        }

        PublishMessage message;
        if (MediaTypes.IsText(request.MediaType))
        {
            var charset = MediaTypes.Charset(request.Headers["content-type"]);
            if (charset is not null and not "utf-8" and not "utf8" and not "us-ascii")
            {
                return ProblemTypes.UnsupportedMedia($"Text bodies must be UTF-8; the request says charset '{charset}'.").ToResponse(request.RequestId);
            }

            string text;
            try
            {
                text = StrictUtf8.GetString(body);
            }
            catch (DecoderFallbackException)
            {
                return ProblemTypes.Invalid("The body is declared as text but is not valid UTF-8.").ToResponse(request.RequestId);
            }

            message = new PublishMessage(topic, text, null);
        }
        else
        {
            message = new PublishMessage(topic, null, body);
        }

        problem = _parser.CheckValue(message, "body");
        return problem is not null
            ? problem.ToResponse(request.RequestId)
            : await PublishSingleAsync(request, message, context, record, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ApiResponse> PublishSingleAsync(
        ApiRequest request, PublishMessage message, ILambdaContext context, InvocationRecord record, CancellationToken cancellationToken)
    {
        record.Topic = message.TopicName;
        record.Messages = 1;
        var outcome = await PublishAsync(message, context, cancellationToken).ConfigureAwait(false);
        record.PublishMs = outcome.Elapsed.TotalMilliseconds;
        record.Rotated = outcome.Rotated;
        if (outcome.Problem is { } problem)
        {
            record.Failures = 1;
            record.ErrorCode = outcome.Error?.Code.ToMomentoName() ?? "NO_TIME_LEFT";
            record.ErrorMessage = outcome.Error?.Message;
            return problem.ToResponse(request.RequestId);
        }

        var bytes = message.ByteCount;
        record.Published = 1;
        record.Bytes = bytes;
        return ApiResponse.Json(200, w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("published", true);
            w.WriteString("topic", message.TopicName);
            w.WriteNumber("bytes", bytes);
            w.WriteEndObject();
        });
    }

    private async Task<ApiResponse> PublishBatchAsync(
        ApiRequest request, IReadOnlyList<PublishMessage> messages, ILambdaContext context, InvocationRecord record, CancellationToken cancellationToken)
    {
        var started = _log.Time.GetTimestamp();
        record.Messages = messages.Count;

        // Concurrent over the one channel: HTTP/2 multiplexes the calls.
        var outcomes = await Task.WhenAll(messages.Select(m => PublishAsync(m, context, cancellationToken))).ConfigureAwait(false);
        record.PublishMs = _log.Time.GetElapsedTime(started).TotalMilliseconds;
        record.Rotated = outcomes.Any(o => o.Rotated);
        record.Published = outcomes.Count(o => o.Problem is null);
        record.Failures = outcomes.Length - record.Published;
        record.Bytes = messages.Where((_, i) => outcomes[i].Problem is null).Sum(m => (long)m.ByteCount);
        var firstFailure = outcomes.FirstOrDefault(o => o.Problem is not null);
        if (firstFailure is not null)
        {
            record.ErrorCode = firstFailure.Error?.Code.ToMomentoName() ?? "NO_TIME_LEFT";
            record.ErrorMessage = firstFailure.Error?.Message;
        }

        // 200 when every message was published; 207 when some were not (each result says which and why).
        return ApiResponse.Json(record.Failures == 0 ? 200 : 207, w =>
        {
            w.WriteStartObject();
            w.WriteNumber("published", record.Published);
            w.WriteNumber("failed", record.Failures);
            w.WriteStartArray("results");
            for (var i = 0; i < messages.Count; i++)
            {
                w.WriteStartObject();
                w.WriteNumber("index", i);
                w.WriteString("topic", messages[i].TopicName);
                if (outcomes[i].Problem is { } problem)
                {
                    w.WriteNumber("status", problem.Status);
                    w.WritePropertyName("problem");
                    problem.WriteTo(w, null);
                }
                else
                {
                    w.WriteNumber("status", 200);
                    w.WriteNumber("bytes", messages[i].ByteCount);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private async Task<PublishOutcome> PublishAsync(PublishMessage message, ILambdaContext context, CancellationToken cancellationToken)
    {
        var started = _log.Time.GetTimestamp();
        var budget = Budget(context);
        if (budget <= TimeSpan.Zero)
        {
            return new PublishOutcome(FailureMapper.NoTimeLeft(), null, TimeSpan.Zero, false);
        }

        var generation = _momento.Generation;
        var response = await SendAsync(_momento.Client, message, budget, cancellationToken).ConfigureAwait(false);
        var rotated = false;
        if (response is TopicPublishResponse.Error { TopicError.Code: MomentoErrorCode.AuthenticationError }
            && await _momento.TryRotateAsync(generation, cancellationToken).ConfigureAwait(false))
        {
            // Rejected keys are never executed, so one retry with the rotated key is safe.
            rotated = true;
            budget = Budget(context);
            if (budget > TimeSpan.Zero)
            {
                response = await SendAsync(_momento.Client, message, budget, cancellationToken).ConfigureAwait(false);
            }
        }

        var elapsed = _log.Time.GetElapsedTime(started);
        return response switch
        {
            TopicPublishResponse.Error error => new PublishOutcome(FailureMapper.ToProblem(error.TopicError), error.TopicError, elapsed, rotated),
            _ => new PublishOutcome(null, null, elapsed, rotated),
        };
    }

    private Task<TopicPublishResponse> SendAsync(
        TopicClient client, PublishMessage message, TimeSpan timeout, CancellationToken cancellationToken) =>
        message.Text is not null
            ? client.PublishAsync(_momento.CacheName, message.TopicName, message.Text, timeout, cancellationToken)
            : client.PublishAsync(_momento.CacheName, message.TopicName, message.Bytes!, timeout, cancellationToken);

    // Each publish gets the configured timeout, capped by the invocation's remaining time minus a margin.
    private TimeSpan Budget(ILambdaContext context)
    {
        var remaining = context.RemainingTime - PublisherSettings.DeadlineMargin;
        return remaining < _settings.Momento.PublishTimeout ? remaining : _settings.Momento.PublishTimeout;
    }

    // Read through the same lookup as every other setting, so the whole init is driven by one environment.
    private static bool IsJson(string? mediaType) =>
        mediaType is not null && (mediaType == MediaTypes.Json || mediaType.EndsWith("+json", StringComparison.Ordinal));

    private static string Truncate(string path) => path.Length <= 128 ? path : path[..128] + "…";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private sealed record PublishOutcome(Problem? Problem, TopicError? Error, TimeSpan Elapsed, bool Rotated);
}
