using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Publisher.Local.Commands;

namespace Publisher.Local.Tests;

/// <summary>AWS Signature Version 4, checked against AWS's published example and through an HttpClient pipeline.</summary>
public sealed partial class SigV4HandlerTests
{
    private static readonly SigV4Handler.AwsCredentials ExampleCredentials = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null);

    [Fact]
    public void Sign_AwsDocumentationExample_ProducesThePublishedSignature()
    {
        // "Signature Version 4 test suite" / IAM ListUsers example from the AWS General Reference.
        using var handler = new SigV4Handler(ExampleCredentials, "us-east-1", new HttpClientHandler(), service: "iam");
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08")
        {
            Content = new ByteArrayContent([]),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-www-form-urlencoded; charset=utf-8");

        handler.Sign(request, [], new DateTimeOffset(2015, 8, 30, 12, 36, 0, TimeSpan.Zero));

        Assert.Equal("20150830T123600Z", request.Headers.GetValues("x-amz-date").Single());
        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, " +
            "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
            request.Headers.GetValues("Authorization").Single());
    }

    [Fact]
    public async Task SendAsync_ThroughHttpClient_AddsDateTokenAndAuthorizationBoundToTheBody()
    {
        var seen = new List<HttpRequestMessage>();
        var credentials = ExampleCredentials with { SessionToken = "session-token" };
        using var client = new HttpClient(new SigV4Handler(credentials, "eu-west-1", new RecordingHandler(seen), time: new FixedTime()));

        using var first = await client.PostAsync("https://abc123.execute-api.eu-west-1.amazonaws.com/prod/topics", new StringContent("""{"a":1}"""));
        using var second = await client.PostAsync("https://abc123.execute-api.eu-west-1.amazonaws.com/prod/topics", new StringContent("""{"a":2}"""));

        Assert.Equal(2, seen.Count);
        var authorization = seen[0].Headers.GetValues("Authorization").Single();
        var match = AuthorizationHeader().Match(authorization);
        Assert.True(match.Success, authorization);
        Assert.Equal("AKIDEXAMPLE/20240102/eu-west-1/execute-api/aws4_request", match.Groups["credential"].Value);
        Assert.Contains("x-amz-security-token", match.Groups["signed"].Value.Split(';'));
        Assert.Equal("session-token", seen[0].Headers.GetValues("x-amz-security-token").Single());
        Assert.Equal("20240102T030405Z", seen[0].Headers.GetValues("x-amz-date").Single());
        Assert.DoesNotContain(credentials.SecretAccessKey, authorization, StringComparison.Ordinal);
        // Same time, headers and path: only the body differs, and so must the signature.
        Assert.NotEqual(match.Groups["signature"].Value, AuthorizationHeader().Match(seen[1].Headers.GetValues("Authorization").Single()).Groups["signature"].Value);
    }

    [Theory]
    [InlineData("https://abc123.execute-api.eu-west-1.amazonaws.com/prod/", "eu-west-1")]
    [InlineData("https://abc123.execute-api.us-east-1.amazonaws.com/", "us-east-1")]
    [InlineData("http://127.0.0.1:3000/", null)]
    [InlineData("https://api.example.com/", null)]
    public void RegionOf_Url_ReadsTheExecuteApiRegion(string url, string? region) =>
        Assert.Equal(region, SigV4Handler.RegionOf(new Uri(url)));

    [Fact]
    public void Credentials_ToString_HidesTheSecret() =>
        Assert.DoesNotContain(ExampleCredentials.SecretAccessKey, ExampleCredentials.ToString(), StringComparison.Ordinal);

    [GeneratedRegex(@"^AWS4-HMAC-SHA256 Credential=(?<credential>\S+), SignedHeaders=(?<signed>[a-z0-9;-]+), Signature=(?<signature>[0-9a-f]{64})$")]
    private static partial Regex AuthorizationHeader();

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
