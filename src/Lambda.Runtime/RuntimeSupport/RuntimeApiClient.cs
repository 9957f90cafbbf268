using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Amazon.Lambda.Core;

namespace Amazon.Lambda.RuntimeSupport;

/// <summary>HTTP client of the Lambda Runtime API at <c>http://{hostPort}/2018-06-01</c>.</summary>
public sealed class RuntimeApiClient : IRuntimeApiClient, IDisposable
{
    /// <summary>/next long-polls while the sandbox is frozen, so the timeout must outlast any freeze (as the official runtime does).</summary>
    internal static readonly TimeSpan HttpTimeout = TimeSpan.FromHours(12);

    /// <summary>Used when /next carries no deadline header: Lambda's maximum timeout.</summary>
    internal static readonly TimeSpan MissingDeadlineFallback = TimeSpan.FromMinutes(15);

    internal const string ResponseTooLargeErrorType = "Function.ResponseSizeTooLarge";

    private readonly HttpClient _http;
    private readonly string _baseUrl;
    private readonly TimeProvider _time;

    /// <summary>Creates a client for the Runtime API at <paramref name="hostPort"/> (the value of AWS_LAMBDA_RUNTIME_API).</summary>
    /// <param name="hostPort">host:port of the Runtime API.</param>
    /// <param name="time">Clock for the contexts' remaining time; null means <see cref="TimeProvider.System"/>.</param>
    public RuntimeApiClient(string hostPort, TimeProvider? time = null)
        : this(hostPort, new SocketsHttpHandler { UseProxy = false }, time)
    {
    }

    /// <summary>Test seam: a client over any handler.</summary>
    internal RuntimeApiClient(string hostPort, HttpMessageHandler handler, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(hostPort);
        _baseUrl = $"http://{hostPort}/2018-06-01";
        _time = time ?? TimeProvider.System;
        _http = new HttpClient(handler) { Timeout = HttpTimeout };
    }

    /// <inheritdoc />
    public async Task<InvocationRequest> GetNextInvocationAsync(CancellationToken cancellationToken)
    {
        const string path = "/runtime/invocation/next";
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, _baseUrl + path), path, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw Failed(path, response.StatusCode);
        }

        var headers = response.Headers;
        var requestId = Header(headers, RuntimeApiHeaders.AwsRequestId)
            ?? throw new RuntimeApiException($"GET {path} answered without a {RuntimeApiHeaders.AwsRequestId} header.", response.StatusCode);
        var deadline = long.TryParse(Header(headers, RuntimeApiHeaders.DeadlineMs), NumberStyles.Integer, CultureInfo.InvariantCulture, out var deadlineMs)
            ? DateTimeOffset.FromUnixTimeMilliseconds(deadlineMs)
            : _time.GetUtcNow() + MissingDeadlineFallback;
        var traceId = Header(headers, RuntimeApiHeaders.TraceId);
        var arn = Header(headers, RuntimeApiHeaders.InvokedFunctionArn) ?? string.Empty;

        // The X-Ray SDK reads the trace header from the environment (official behaviour); an absent
        // header clears it so a previous invocation's trace is not reused.
        Environment.SetEnvironmentVariable(LambdaEnvironment.TraceId, traceId);

        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return new InvocationRequest(body, new LambdaContext(requestId, deadline, traceId, arn, _time));
    }

    /// <inheritdoc />
    public async Task SendResponseAsync(string awsRequestId, ReadOnlyMemory<byte> response, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(awsRequestId);
        var path = $"/runtime/invocation/{Uri.EscapeDataString(awsRequestId)}/response";
        var request = new HttpRequestMessage(HttpMethod.Post, _baseUrl + path) { Content = new ReadOnlyMemoryContent(response) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var answer = await SendAsync(request, path, cancellationToken).ConfigureAwait(false);
        if (answer.StatusCode == HttpStatusCode.RequestEntityTooLarge)
        {
            // The invocation is still open: report it as failed so the caller gets an error, not a hang.
            var error = new LambdaError(
                ResponseTooLargeErrorType,
                $"The response of {response.Length.ToString(CultureInfo.InvariantCulture)} bytes exceeds the Runtime API's payload limit.");
            await ReportInvocationErrorAsync(awsRequestId, error, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!answer.IsSuccessStatusCode)
        {
            throw Failed(path, answer.StatusCode);
        }
    }

    /// <inheritdoc />
    public Task ReportInvocationErrorAsync(string awsRequestId, LambdaError error, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(awsRequestId);
        return PostErrorAsync($"/runtime/invocation/{Uri.EscapeDataString(awsRequestId)}/error", error, cancellationToken);
    }

    /// <inheritdoc />
    public Task ReportInitializationErrorAsync(LambdaError error, CancellationToken cancellationToken) =>
        PostErrorAsync("/runtime/init/error", error, cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private async Task PostErrorAsync(string path, LambdaError error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        var request = new HttpRequestMessage(HttpMethod.Post, _baseUrl + path) { Content = new ByteArrayContent(error.ToJsonUtf8()) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(LambdaError.ContentType);
        request.Headers.TryAddWithoutValidation(RuntimeApiHeaders.FunctionErrorType, error.ErrorType);
        using var answer = await SendAsync(request, path, cancellationToken).ConfigureAwait(false);
        if (!answer.IsSuccessStatusCode)
        {
            throw Failed(path, answer.StatusCode);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string path, CancellationToken cancellationToken)
    {
        using (request)
        {
            try
            {
                return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                throw new RuntimeApiException($"{request.Method} {path} failed: the Runtime API at {_baseUrl} could not be reached ({e.Message}); the runtime must exit.", null, e);
            }
        }
    }

    private static RuntimeApiException Failed(string path, HttpStatusCode status) =>
        new($"The Runtime API answered {(int)status} ({status}) to {path}; the runtime must exit.", status);

    private static string? Header(HttpResponseHeaders headers, string name) =>
        // HttpHeaders compares names case-insensitively.
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
