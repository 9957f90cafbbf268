using System.Net;
using System.Text;
using System.Text.Json;
using Amazon.Lambda.RuntimeSupport;
using Lambda.Runtime.Tests.Support;

namespace Lambda.Runtime.Tests;

/// <summary>Shares <see cref="RuntimeEnvironmentCollection"/>: the client writes the process-wide _X_AMZN_TRACE_ID.</summary>
[Collection(RuntimeEnvironmentCollection.Name)]
public sealed class RuntimeApiClientTests
{
    [Fact]
    public async Task GetNextInvocationAsync_HeadersInAnyCase_BuildsContext()
    {
        var handler = new DelegateHttpHandler(_ =>
        {
            var answer = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{\"x\":1}") };
            answer.Headers.TryAddWithoutValidation("lambda-runtime-aws-request-id", "req-9");
            answer.Headers.TryAddWithoutValidation("LAMBDA-RUNTIME-DEADLINE-MS", "1735689600000");
            answer.Headers.TryAddWithoutValidation("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:1:function:f");
            answer.Headers.TryAddWithoutValidation("lambda-runtime-trace-id", "Root=1-aaa;Sampled=1");
            return answer;
        });
        using var client = new RuntimeApiClient("127.0.0.1:9001", handler);

        var invocation = await client.GetNextInvocationAsync(CancellationToken.None);

        Assert.Equal("http://127.0.0.1:9001/2018-06-01/runtime/invocation/next", handler.Requests.Single().Uri.ToString());
        Assert.Equal("{\"x\":1}", Encoding.UTF8.GetString(invocation.Input.Span));
        Assert.Equal("req-9", invocation.LambdaContext.AwsRequestId);
        Assert.Equal(DateTimeOffset.Parse("2025-01-01T00:00:00Z"), invocation.LambdaContext.Deadline);
        Assert.Equal("arn:aws:lambda:us-east-1:1:function:f", invocation.LambdaContext.InvokedFunctionArn);
        Assert.Equal("Root=1-aaa;Sampled=1", invocation.LambdaContext.TraceId);
        Assert.Equal("Root=1-aaa;Sampled=1", Environment.GetEnvironmentVariable(LambdaEnvironment.TraceId));
    }

    [Fact]
    public async Task GetNextInvocationAsync_NoRequestId_ThrowsRuntimeApiException()
    {
        var handler = new DelegateHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") });
        using var client = new RuntimeApiClient("127.0.0.1:9001", handler);

        var error = await Assert.ThrowsAsync<RuntimeApiException>(() => client.GetNextInvocationAsync(CancellationToken.None));

        Assert.Contains(RuntimeApiHeaders.AwsRequestId, error.Message);
    }

    [Fact]
    public async Task SendResponseAsync_500_ThrowsMustExit()
    {
        var handler = new DelegateHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.InternalServerError));
        using var client = new RuntimeApiClient("127.0.0.1:9001", handler);

        var error = await Assert.ThrowsAsync<RuntimeApiException>(() => client.SendResponseAsync("req-1", "{}"u8.ToArray(), CancellationToken.None));

        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Contains("must exit", error.Message);
    }

    [Fact]
    public async Task ReportInvocationErrorAsync_500_ThrowsMustExit()
    {
        var handler = new DelegateHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.InternalServerError));
        using var client = new RuntimeApiClient("127.0.0.1:9001", handler);

        var error = await Assert.ThrowsAsync<RuntimeApiException>(
            () => client.ReportInvocationErrorAsync("req-1", new LambdaError("E", "m"), CancellationToken.None));

        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
    }

    [Fact]
    public async Task SendResponseAsync_413_ReportsInvocationErrorInstead()
    {
        var handler = new DelegateHttpHandler(seen => seen.Uri.AbsolutePath.EndsWith("/response", StringComparison.Ordinal)
            ? new HttpResponseMessage(HttpStatusCode.RequestEntityTooLarge)
            : new HttpResponseMessage(HttpStatusCode.Accepted));
        using var client = new RuntimeApiClient("127.0.0.1:9001", handler);

        await client.SendResponseAsync("req-1", new byte[10], CancellationToken.None);

        var errorPost = handler.Requests.Last();
        Assert.Equal("/2018-06-01/runtime/invocation/req-1/error", errorPost.Uri.AbsolutePath);
        Assert.Equal("Function.ResponseSizeTooLarge", errorPost.Headers[RuntimeApiHeaders.FunctionErrorType]);
        using var body = JsonDocument.Parse(errorPost.Body);
        Assert.Equal("Function.ResponseSizeTooLarge", body.RootElement.GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task ReportInitializationErrorAsync_Always_PostsErrorDocument()
    {
        var handler = new DelegateHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.Accepted));
        using var client = new RuntimeApiClient("127.0.0.1:9001", handler);

        await client.ReportInitializationErrorAsync(new LambdaError("Runtime.UnknownReason", "no config"), CancellationToken.None);

        var post = handler.Requests.Single();
        Assert.Equal(HttpMethod.Post, post.Method);
        Assert.Equal("/2018-06-01/runtime/init/error", post.Uri.AbsolutePath);
        Assert.Equal("application/vnd.aws.lambda.error+json", post.ContentType);
        Assert.Equal("Runtime.UnknownReason", post.Headers[RuntimeApiHeaders.FunctionErrorType]);
        Assert.Equal("""{"errorMessage":"no config","errorType":"Runtime.UnknownReason","stackTrace":[]}""", Encoding.UTF8.GetString(post.Body));
    }

    [Fact]
    public async Task GetNextInvocationAsync_Unreachable_ThrowsRuntimeApiException()
    {
        var handler = new DelegateHttpHandler(_ => throw new HttpRequestException("Connection refused"));
        using var client = new RuntimeApiClient("127.0.0.1:9001", handler);

        var error = await Assert.ThrowsAsync<RuntimeApiException>(() => client.GetNextInvocationAsync(CancellationToken.None));

        Assert.Null(error.StatusCode);
        Assert.IsType<HttpRequestException>(error.InnerException);
    }
}
