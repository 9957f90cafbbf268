using Amazon.Lambda.Core;
using Functions.Common.Configuration;
using Functions.Common.Http;
using Functions.Common.Momento;
using Functions.Common.Observability;
using Publisher.Function.Internal;
using static Publisher.Contracts.HttpContract;

namespace Publisher.Function;

/// <summary>
/// The publisher Lambda: API Gateway event in, validated publish to Momento Topics over the one warm
/// client of the execution environment, API Gateway response out.
/// </summary>
/// <remarks>
/// One invocation is a pipeline, each step in its own type: event (<see cref="ApiGatewayAdapter"/>) → route
/// (<see cref="RouteMatch"/>) → parse (<see cref="PublishRequestReader"/>) → publish (<see cref="MomentoPublisher"/>)
/// → response (<see cref="PublishResponses"/>) and one log line (<see cref="InvocationRecord"/>). A step that refuses
/// the request ends it with a problem; no input makes it throw.
/// </remarks>
public sealed class PublisherFunction : IAsyncDisposable
{
    private readonly MomentoConnection _momento;
    private readonly FunctionLog _log;
    private readonly TimeProvider _time;
    private readonly ApiGatewayAdapter _events = new();
    private readonly PublishRequestReader _reader;
    private readonly MomentoPublisher _publisher;
    private readonly IdempotentPublisher _idempotent;
    private int _invocations;

    /// <summary>Creates the function over an open Momento connection.</summary>
    /// <param name="settings">Limits and allowlist.</param>
    /// <param name="momento">The connection every publish goes over.</param>
    /// <param name="log">Where each invocation's line goes.</param>
    /// <param name="time">The clock durations and metrics are taken from; null means <see cref="TimeProvider.System"/>.</param>
    public PublisherFunction(PublisherSettings settings, MomentoConnection momento, FunctionLog log, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        _momento = momento;
        _log = log;
        _time = time ?? TimeProvider.System;
        _reader = new PublishRequestReader(settings);
        _publisher = new MomentoPublisher(momento, settings);
        _idempotent = new IdempotentPublisher(_publisher, new IdempotencyStore(momento, settings), settings, _time);
    }

    /// <summary>The settings this function runs with.</summary>
    public PublisherSettings Settings { get; }

    /// <summary>
    /// The init phase: validates configuration, reads the key, builds and warms the client; each step is marked on
    /// <paramref name="timeline"/> when the benchmark's startup timeline is on.
    /// Configuration errors throw <see cref="ConfigurationException"/>, which the bootstrap reports as an init error.
    /// </summary>
    public static async Task<PublisherFunction> InitializeAsync(
        SettingsReader environment, FunctionLog log, CancellationToken cancellationToken, StartupTimeline? timeline = null)
    {
        var settings = PublisherSettings.FromEnvironment(environment);
        timeline?.Mark("settings read");
        var momento = await MomentoConnection.OpenAsync(settings.Momento, environment, log, timeline: timeline, cancellationToken: cancellationToken).ConfigureAwait(false);
        var function = new PublisherFunction(settings, momento, log);
        timeline?.Mark("init done");
        return function;
    }

    /// <summary>The Lambda handler (the runtime's Stream shape, because the payload version is told apart by content):
    /// an API Gateway event (REST 1.0 or HTTP API 2.0) in, the same shape's response out.</summary>
    public Task<Stream> HandleAsync(Stream input, ILambdaContext context) => HandleAsync(input, context, CancellationToken.None);

    /// <summary>The same handler with a token that abandons the invocation (the local runner passes the HTTP request's).</summary>
    public async Task<Stream> HandleAsync(Stream input, ILambdaContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var started = _time.GetTimestamp();
        var record = new InvocationRecord
        {
            LambdaRequestId = context.AwsRequestId,
            TraceId = context.TraceId,
            ColdStart = Interlocked.Increment(ref _invocations) == 1,
            FunctionName = string.IsNullOrEmpty(context.FunctionName) ? "unknown" : context.FunctionName,
        };

        var payload = await ApiGatewayAdapter.ReadPayloadAsync(input, cancellationToken).ConfigureAwait(false);
        var (shape, request) = _events.Read(payload, route => RouteMatch.BodyLimit(route, Settings));
        ApiResponse response;
        try
        {
            response = request.Failed
                ? request.Problem.ToResponse(Settings.ProblemTypes, null)
                : await ServeAsync(request.Value, context, record, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A bug, not bad input: log the type only (messages may carry caller data), answer without details.
            record.ErrorCode = "UNHANDLED_" + e.GetType().Name;
            response = new Problem(ProblemTypes.InternalError, "Internal error.", 500, "The publisher failed unexpectedly; the message may not have been published.")
                .ToResponse(Settings.ProblemTypes, record.ApiRequestId);
        }

        record.Status = response.StatusCode;
        record.Write(_log, _time.GetElapsedTime(started), _time.GetUtcNow());
        return _events.Serialize(response, shape);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _momento.DisposeAsync();

    // Route → parse → publish → respond; the first step that refuses the request answers it.
    private async Task<ApiResponse> ServeAsync(ApiRequest request, ILambdaContext context, InvocationRecord record, CancellationToken cancellationToken)
    {
        record.ApiRequestId = request.RequestId;
        if (ApiDocsResponses.Template(request.Route) is { } documentation)
        {
            record.Route = documentation;
            return ApiDocsResponses.Answer(request, Settings.ProblemTypes);
        }

        var route = RouteMatch.Match(request);
        if (route.Failed)
        {
            return route.Problem.ToResponse(Settings.ProblemTypes, request.RequestId);
        }

        record.Route = route.Value.Template;
        if (request.Method != RouteMatch.AllowedMethods)
        {
            return Problem.WrongMethod(request.Method, route.Value.Template, RouteMatch.AllowedMethods).ToResponse(Settings.ProblemTypes, request.RequestId);
        }

        if (request.BodyLength > Settings.MaxBodyBytes)
        {
            return Problem.TooLarge($"The request body is larger than {Settings.MaxBodyBytes} bytes.").ToResponse(Settings.ProblemTypes, request.RequestId);
        }

        var messages = _reader.Read(route.Value, request);
        if (messages.Failed)
        {
            return messages.Problem.ToResponse(Settings.ProblemTypes, request.RequestId);
        }

        if (messages.Value.Any(m => m.IdempotencyKey is not null))
        {
            return await _idempotent.ServeAsync(route.Value, request, messages.Value, context, record, cancellationToken).ConfigureAwait(false);
        }

        var publishing = _time.GetTimestamp();
        var outcomes = await _publisher.PublishAsync(messages.Value, context, cancellationToken).ConfigureAwait(false);
        record.AddPublishes(route.Value, messages.Value, outcomes, _time.GetElapsedTime(publishing));
        return PublishResponses.For(route.Value, messages.Value, outcomes, Settings.ProblemTypes, request.RequestId);
    }
}
