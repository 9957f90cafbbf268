using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Amazon.Lambda.RuntimeSupport;

namespace Amazon.Lambda.Subset.Internal;

/// <summary>HTTP client of the Lambda Runtime API at <c>http://{host:port}/2018-06-01</c>, as the official one calls it.</summary>
internal sealed class RuntimeApiClient : IDisposable
{
    // /next long-polls while the sandbox is frozen, so the timeout must outlast any freeze (official value).
    private static readonly TimeSpan HttpTimeout = TimeSpan.FromHours(12);

    private const string ErrorContentType = "application/vnd.aws.lambda.error+json";

    private readonly HttpClient _http;
    private readonly string _baseUrl;
    private readonly LambdaConsoleLogger _logger;

    public RuntimeApiClient()
    {
        var hostPort = Environment.GetEnvironmentVariable(EnvironmentNames.RuntimeApi);
        if (string.IsNullOrEmpty(hostPort))
        {
            throw new InvalidOperationException($"The Lambda Runtime API is unknown: set {EnvironmentNames.RuntimeApi} (host:port).");
        }

        _baseUrl = "http://" + hostPort + "/2018-06-01";
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = HttpTimeout };
        ConsoleLogger = new ConsoleLogger();
        _logger = new LambdaConsoleLogger(ConsoleLogger);
        Function = FunctionEnvironment.Read();
    }

    /// <summary>The Console redirection every record of this runtime goes through.</summary>
    public ConsoleLogger ConsoleLogger { get; }

    /// <summary>The function's settings, read once; every invocation's context shares them.</summary>
    public FunctionEnvironment Function { get; }

    public async Task<InvocationRequest> GetNextInvocationAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, _baseUrl + "/runtime/invocation/next"), HttpStatusCode.OK, cancellationToken, HttpCompletionOption.ResponseHeadersRead)
            .ConfigureAwait(false);
        var headers = RuntimeApiHeaders.From(response.Headers);
        return new InvocationRequest
        {
            // Its buffer is exposed (TryGetBuffer), so a handler that wants the whole payload takes it without a copy.
            InputStream = await ReadPayloadAsync(response.Content, cancellationToken).ConfigureAwait(false),
            LambdaContext = new LambdaContext(headers, Function, _logger),
        };
    }

    public async Task SendResponseAsync(string awsRequestId, Stream outputStream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(awsRequestId);
        var request = new HttpRequestMessage(HttpMethod.Post, $"{_baseUrl}/runtime/invocation/{awsRequestId}/response")
        {
            Content = outputStream is null ? new StringContent(string.Empty) : new StreamContent(outputStream),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await SendAsync(request, HttpStatusCode.Accepted, cancellationToken).ConfigureAwait(false);
    }

    public Task ReportInvocationErrorAsync(string awsRequestId, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(awsRequestId);
        return PostErrorAsync($"/runtime/invocation/{awsRequestId}/error", exception.GetType().Name, exception, cancellationToken);
    }

    public Task ReportInitializationErrorAsync(Exception exception) =>
        // The official client sends no error-type header for init errors.
        PostErrorAsync("/runtime/init/error", null, exception, CancellationToken.None);

    public void Dispose() => _http.Dispose();

    private async Task PostErrorAsync(string path, string errorType, Exception exception, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _baseUrl + path) { Content = new ByteArrayContent(ExceptionJson.Write(exception)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(ErrorContentType);
        if (errorType is not null)
        {
            request.Headers.TryAddWithoutValidation(RuntimeApiHeaders.FunctionErrorTypeName, errorType);
        }

        using var response = await SendAsync(request, HttpStatusCode.Accepted, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The event, read into one array without a pooled copy: of its exact size when the Runtime API sends its length,
    /// else grown by a <see cref="MemoryStream"/> whose buffer is used as it is. Buffering it first (ResponseContentRead,
    /// then ReadAsByteArrayAsync) fills pooled buffers that the shared pool keeps afterwards and copies out of them: for
    /// a 6 MB event about 8 MB held for good beside the 6 MB copy, which a small heap limit did not always survive.
    /// </summary>
    private static async Task<MemoryStream> ReadPayloadAsync(HttpContent content, CancellationToken cancellationToken)
    {
        using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        if (content.Headers.ContentLength is { } length && length <= Array.MaxLength)
        {
            var body = new byte[length];
            await stream.ReadExactlyAsync(body, cancellationToken).ConfigureAwait(false);
            return new MemoryStream(body, 0, body.Length, writable: false, publiclyVisible: true);
        }

        var grown = new MemoryStream();
        await stream.CopyToAsync(grown, cancellationToken).ConfigureAwait(false);
        return new MemoryStream(grown.GetBuffer(), 0, (int)grown.Length, writable: false, publiclyVisible: true);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpStatusCode expected, CancellationToken cancellationToken, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        using (request)
        {
            var response = await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != expected)
            {
                var status = (int)response.StatusCode;
                response.Dispose();
                throw new RuntimeApiClientException(
                    string.Create(CultureInfo.InvariantCulture, $"The Runtime API answered {status} to {request.Method} {request.RequestUri?.AbsolutePath}; the runtime must exit."),
                    status);
            }

            return response;
        }
    }
}

/// <summary>The Runtime API refused a call (the official client throws its own exception of this name).</summary>
internal sealed class RuntimeApiClientException(string message, int statusCode) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}
