using System.Net;
using System.Net.Http.Headers;
using Amazon.Runtime;
using Publisher.DeploymentCheck.Internal;
using Publisher.DeploymentCheck.Tests.Infrastructure;

namespace Publisher.DeploymentCheck.Tests;

/// <summary>SigV4 from AWSSDK.Core's signer, held to an independent implementation that reproduces AWS's published example.</summary>
public sealed class SigV4HandlerTests
{
    private const string ExampleKeyId = "AKIDEXAMPLE";
    private const string ExampleSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static readonly DateTimeOffset ExampleTime = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    [Fact]
    public void Reference_AwsDocumentationExample_ProducesThePublishedSignature()
    {
        // The IAM ListUsers example of AWS's "Signature Version 4" documentation.
        var request = new SigV4Reference.Received(
            "GET",
            "/",
            "Action=ListUsers&Version=2010-05-08",
            new Dictionary<string, string>
            {
                ["content-type"] = "application/x-www-form-urlencoded; charset=utf-8",
                ["host"] = "iam.amazonaws.com",
                ["x-amz-date"] = "20150830T123600Z",
            },
            []);
        var claim = new SigV4Reference.Claim(ExampleKeyId, "20150830", "us-east-1", "iam", ["content-type", "host", "x-amz-date"], string.Empty);

        Assert.Equal("5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7", SigV4Reference.Signature(request, claim, ExampleSecret));
    }

    [Theory]
    [InlineData("GET", "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08", "us-east-1", null)]
    [InlineData("POST", "https://abc123.execute-api.eu-west-1.amazonaws.com/prod/topics", "eu-west-1", """{"topicName":"t","topicValue":"v"}""")]
    [InlineData("POST", "https://api.example.com/messaging/topics/my%20topic%2Fwith%25", "eu-west-1", "raw body")]
    [InlineData("GET", "http://127.0.0.1:3917/prod/verify?topic=a%20b&listenMs=500&contains=x", "eu-central-1", null)]
    public void Sign_Request_VerifiesAgainstTheReference(string method, string url, string region, string? body)
    {
        using var handler = new SigV4Handler(new BasicAWSCredentials(ExampleKeyId, ExampleSecret), region, new HttpClientHandler());
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        var bytes = body is null ? [] : System.Text.Encoding.UTF8.GetBytes(body);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };
        }

        handler.Sign(request, bytes, new ImmutableCredentials(ExampleKeyId, ExampleSecret, null), ExampleTime);

        var claim = SigV4Reference.ParseAuthorization(request.Headers.GetValues("Authorization").Single());
        Assert.NotNull(claim);
        Assert.Equal((ExampleKeyId, "20150830", region, "execute-api"), (claim.AccessKeyId, claim.Date, claim.Region, claim.Service));
        Assert.Contains("host", claim.SignedHeaders);
        Assert.Contains("x-amz-date", claim.SignedHeaders);
        Assert.Equal("20150830T123600Z", request.Headers.GetValues("x-amz-date").Single());
        var uri = request.RequestUri!;
        var received = new SigV4Reference.Received(method, uri.AbsolutePath, uri.Query.TrimStart('?'), SigV4Reference.HeadersOf(request), bytes);
        Assert.Equal(SigV4Reference.Signature(received, claim, ExampleSecret), claim.Signature);
        Assert.NotEqual(SigV4Reference.Signature(received, claim, ExampleSecret + "x"), claim.Signature);
    }

    [Fact]
    public async Task SendAsync_ThroughHttpClient_AddsDateTokenAndAuthorizationBoundToTheBody()
    {
        var seen = new List<HttpRequestMessage>();
        var credentials = new SessionAWSCredentials(ExampleKeyId, ExampleSecret, "session-token");
        using var client = new HttpClient(new SigV4Handler(credentials, "eu-west-1", new RecordingHandler(seen), time: new FixedTime()));

        using var first = await client.PostAsync("https://abc123.execute-api.eu-west-1.amazonaws.com/prod/topics", new StringContent("""{"a":1}"""));
        using var second = await client.PostAsync("https://abc123.execute-api.eu-west-1.amazonaws.com/prod/topics", new StringContent("""{"a":2}"""));

        Assert.Equal(2, seen.Count);
        var authorization = seen[0].Headers.GetValues("Authorization").Single();
        var claim = SigV4Reference.ParseAuthorization(authorization);
        Assert.NotNull(claim);
        Assert.Equal("eu-west-1", claim.Region);
        Assert.Equal("20240102", claim.Date);
        Assert.Contains("x-amz-security-token", claim.SignedHeaders);
        Assert.Equal("session-token", seen[0].Headers.GetValues("x-amz-security-token").Single());
        Assert.Equal("20240102T030405Z", seen[0].Headers.GetValues("x-amz-date").Single());
        Assert.DoesNotContain(ExampleSecret, authorization, StringComparison.Ordinal);
        // Same time, headers and path: only the body differs, and so must the signature.
        Assert.NotEqual(claim.Signature, SigV4Reference.ParseAuthorization(seen[1].Headers.GetValues("Authorization").Single())!.Signature);
    }

    [Theory]
    [InlineData("https://abc123.execute-api.eu-west-1.amazonaws.com/prod/", "eu-west-1")]
    [InlineData("https://abc123.execute-api.us-east-1.amazonaws.com/", "us-east-1")]
    [InlineData("http://127.0.0.1:3000/", null)]
    [InlineData("https://api.example.com/", null)]
    public void RegionOf_Url_ReadsTheExecuteApiRegion(string url, string? region) =>
        Assert.Equal(region, SigV4Handler.RegionOf(new Uri(url)));

    private sealed class FixedTime : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);
    }

    private sealed class RecordingHandler(List<HttpRequestMessage> seen) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            seen.Add(request);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }
    }
}
