using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Publisher.DeploymentCheck.Internal;
using Publisher.DeploymentCheck.Tests.Infrastructure;

namespace Publisher.DeploymentCheck.Tests;

/// <summary>
/// AWS's published Signature Version 4 test suite (fixtures/sigv4-test-suite.json, copied as data): the tests'
/// reference implementation reproduces every case's canonical request, string to sign and signature; the checker's
/// signer (AWSSDK.Core, through <see cref="SigV4Handler"/>) signs each case's request for <c>execute-api</c> (REST and
/// HTTP APIs) and <c>lambda</c> (function URLs), and its Authorization header is exactly the one the published
/// canonical request gives for that service.
/// </summary>
public sealed class SigV4TestSuiteTests
{
    private static readonly JsonElement Suite = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "sigv4-test-suite.json"))).RootElement;
    private static readonly string KeyId = Suite.GetProperty("credentials").GetProperty("accessKeyId").GetString()!;
    private static readonly string Secret = Suite.GetProperty("credentials").GetProperty("secretAccessKey").GetString()!;
    private static readonly string Region = Suite.GetProperty("region").GetString()!;
    private static readonly string AmzDate = Suite.GetProperty("amzDate").GetString()!;
    private static readonly DateTimeOffset SigningTime = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    /// <summary>
    /// Cases whose request line .NET cannot send as written: a raw space or UTF-8 in the path is percent-encoded by
    /// <see cref="Uri"/> first, and API Gateway and Lambda URI-encode the path as received once more (every service but
    /// S3), so the signature covers the encoded form. The reference still reproduces them from the written line.
    /// </summary>
    private static readonly string[] NotSendableAsWritten = ["get-space-unnormalized", "get-utf8"];

    /// <summary>
    /// AWSSDK.Core 4.1.0 orders query parameters by their names before encoding, SigV4 by the encoded names: a name
    /// outside ASCII (<c>%E1%88%B4</c>) sorts last there and first here, so AWS would refuse that signature. The
    /// checker's requests carry no query (POST with JSON bodies), so it never sends one; the reference reproduces it.
    /// </summary>
    private static readonly string[] SignedDifferentlyByAwssdkCore = ["get-vanilla-query-order-encoded"];

    private static readonly string[] Names = [.. Suite.GetProperty("vectors").EnumerateArray().Select(v => v.GetProperty("name").GetString()!)];

    public static TheoryData<string> Cases() => [.. Names];

    public static TheoryData<string, string> SendableCasesForEachService()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in Names.Where(name => !NotSendableAsWritten.Contains(name) && !SignedDifferentlyByAwssdkCore.Contains(name)))
        {
            foreach (var service in new[] { SigV4Handler.ExecuteApi, SigV4Handler.Lambda, Suite.GetProperty("service").GetString()! })
            {
                data.Add(name, service);
            }
        }

        return data;
    }

    [Fact]
    public void Suite_HoldsTheCasesTheTestsName()
    {
        Assert.True(Names.Length >= 20);
        Assert.All([.. NotSendableAsWritten, .. SignedDifferentlyByAwssdkCore], name => Assert.Contains(name, Names));
        Assert.Equal("service", Suite.GetProperty("service").GetString());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reference_PublishedCase_ReproducesItsCanonicalRequestStringToSignAndSignature(string name)
    {
        var vector = Vector(name);
        var (request, _) = Parse(vector.GetProperty("signedRequest").GetString()!);
        var claim = SigV4Reference.ParseAuthorization(request.Headers["authorization"]);

        Assert.NotNull(claim);
        var canonical = SigV4Reference.CanonicalRequest(request, claim.SignedHeaders);
        var stringToSign = SigV4Reference.StringToSign(canonical, AmzDate, claim.Date, claim.Region, claim.Service);
        Assert.Equal(vector.GetProperty("canonicalRequest").GetString(), canonical);
        Assert.Equal(vector.GetProperty("stringToSign").GetString(), stringToSign);
        Assert.Equal(vector.GetProperty("signature").GetString(), SigV4Reference.SignatureOf(stringToSign, Secret, claim.Date, claim.Region, claim.Service));
        Assert.Equal(vector.GetProperty("signature").GetString(), claim.Signature);
    }

    [Theory]
    [MemberData(nameof(SendableCasesForEachService))]
    public void Handler_PublishedCase_SignsExactlyWhatThePublishedCanonicalRequestGivesForTheService(string name, string service)
    {
        var vector = Vector(name);
        var (written, body) = Parse(vector.GetProperty("signedRequest").GetString()!);
        var token = vector.TryGetProperty("sessionToken", out var t) ? t.GetString() : null;
        using var request = Unsigned(vector.GetProperty("signedRequest").GetString()!, written, body);
        using var handler = new SigV4Handler(new BasicAWSCredentials(KeyId, Secret), Region, new HttpClientHandler(), service);

        handler.Sign(request, body, new ImmutableCredentials(KeyId, Secret, token), SigningTime);

        var (canonical, signedHeaders) = AsTheCheckerSigns(vector.GetProperty("canonicalRequest").GetString()!);
        var stringToSign = SigV4Reference.StringToSign(canonical, AmzDate, "20150830", Region, service);
        var signature = SigV4Reference.SignatureOf(stringToSign, Secret, "20150830", Region, service);
        Assert.Equal(
            $"AWS4-HMAC-SHA256 Credential={KeyId}/20150830/{Region}/{service}/aws4_request, SignedHeaders={signedHeaders}, Signature={signature}",
            request.Headers.GetValues("Authorization").Single());
        Assert.Equal(AmzDate, request.Headers.GetValues("X-Amz-Date").Single());
        Assert.Equal(token, request.Headers.TryGetValues("X-Amz-Security-Token", out var sent) ? sent.Single() : null);
        // What a receiving server computes from the request as sent verifies it too.
        var received = new SigV4Reference.Received(request.Method.Method, request.RequestUri!.AbsolutePath, request.RequestUri.Query.TrimStart('?'), SigV4Reference.HeadersOf(request), body);
        Assert.Equal(canonical, SigV4Reference.CanonicalRequest(received, signedHeaders.Split(';')));
    }

    [Theory]
    [InlineData("https://abc123.execute-api.eu-west-1.amazonaws.com/prod/", SigV4Handler.ExecuteApi, "eu-west-1")]
    [InlineData("https://abc123.execute-api.us-east-1.amazonaws.com/", SigV4Handler.ExecuteApi, "us-east-1")]
    [InlineData("https://x7k2q4abcdefghij.lambda-url.eu-central-1.on.aws/", SigV4Handler.Lambda, "eu-central-1")]
    [InlineData("https://x7k2q4abcdefghij.lambda-url.us-east-1.on.aws/topics", SigV4Handler.Lambda, "us-east-1")]
    [InlineData("https://lambda-url.example.com/", SigV4Handler.ExecuteApi, null)]
    [InlineData("https://api.example.com/", SigV4Handler.ExecuteApi, null)]
    [InlineData("http://127.0.0.1:3000/", SigV4Handler.ExecuteApi, null)]
    public void ServiceAndRegion_AreFoundFromTheUrl(string url, string service, string? region)
    {
        Assert.Equal(service, SigV4Handler.ServiceOf(new Uri(url)));
        Assert.Equal(region, SigV4Handler.RegionOf(new Uri(url)));
    }

    private static JsonElement Vector(string name) =>
        Suite.GetProperty("vectors").EnumerateArray().Single(v => v.GetProperty("name").GetString() == name);

    /// <summary>A request file: the request line, <c>Name:value</c> lines (a repeated name's values joined with commas), a blank line, the body.</summary>
    private static (SigV4Reference.Received Request, byte[] Body) Parse(string text)
    {
        var end = text.IndexOf("\n\n", StringComparison.Ordinal);
        var lines = text[..end].Split('\n');
        var body = Encoding.UTF8.GetBytes(text[(end + 2)..]);
        var requestLine = lines[0].Split(' ');
        var target = string.Join(' ', requestLine[1..^1]);
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines[1..])
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = line[..colon].ToLowerInvariant();
            headers[name] = headers.TryGetValue(name, out var earlier) ? earlier + "," + line[(colon + 1)..] : line[(colon + 1)..];
        }

        var query = target.Contains('?', StringComparison.Ordinal) ? target[(target.IndexOf('?', StringComparison.Ordinal) + 1)..] : string.Empty;
        return (new SigV4Reference.Received(requestLine[0], target.Split('?')[0], query, headers, body), body);
    }

    /// <summary>The request the client sends before signing: the file's headers but those the signer adds, each repeated one as sent.</summary>
    private static HttpRequestMessage Unsigned(string text, SigV4Reference.Received written, byte[] body)
    {
        var request = new HttpRequestMessage(new HttpMethod(written.Method), "https://" + written.Headers["host"] + written.Path + (written.Query.Length > 0 ? "?" + written.Query : string.Empty));
        if (body.Length > 0)
        {
            request.Content = new ByteArrayContent(body) { Headers = { ContentType = MediaTypeHeaderValue.Parse(written.Headers["content-type"]) } };
        }

        foreach (var line in text[..text.IndexOf("\n\n", StringComparison.Ordinal)].Split('\n')[1..])
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = line[..colon];
            if (name.ToLowerInvariant() is not ("host" or "x-amz-date" or "x-amz-content-sha256" or "x-amz-security-token" or "authorization" or "content-length" or "content-type"))
            {
                request.Headers.TryAddWithoutValidation(name, line[(colon + 1)..]);
            }
        }

        return request;
    }

    /// <summary>
    /// The published canonical request as the checker signs the same request: AWSSDK.Core always signs the payload's
    /// hash (<c>x-amz-content-sha256</c>, which S3 needs and the other services accept), and the checker leaves out
    /// <c>Content-Length</c>, which the HTTP stack sets after signing. Everything else is the published text.
    /// </summary>
    private static (string Canonical, string SignedHeaders) AsTheCheckerSigns(string published)
    {
        var lines = published.Split('\n').ToList();
        var blank = lines.IndexOf(string.Empty, 3);
        var headerLines = lines[3..blank].Where(l => !l.StartsWith("content-length:", StringComparison.Ordinal)).ToList();
        var payloadHash = lines[^1];
        if (!headerLines.Any(l => l.StartsWith("x-amz-content-sha256:", StringComparison.Ordinal)))
        {
            headerLines.Add("x-amz-content-sha256:" + payloadHash);
        }

        headerLines = [.. headerLines.OrderBy(l => l[..l.IndexOf(':', StringComparison.Ordinal)], StringComparer.Ordinal)];
        var signedHeaders = string.Join(';', headerLines.Select(l => l[..l.IndexOf(':', StringComparison.Ordinal)]));
        return (string.Join('\n', [.. lines[..3], .. headerLines, string.Empty, signedHeaders, payloadHash]), signedHeaders);
    }
}
