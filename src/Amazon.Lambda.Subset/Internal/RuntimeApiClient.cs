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
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, _baseUrl + "/runtime/invocation/next"), HttpStatusCode.OK, cancellationToken)
            .ConfigureAwait(false);
        var headers = RuntimeApiHeaders.From(response.Headers);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return new InvocationRequest
        {
            // Its buffer is exposed (TryGetBuffer), so a handler that wants the whole payload takes it without a copy.
            InputStream = new MemoryStream(body, 0, body.Length, writable: false, publiclyVisible: true),
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

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        using (request)
        {
            var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
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
