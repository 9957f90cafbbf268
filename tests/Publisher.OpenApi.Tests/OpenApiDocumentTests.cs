using System.Reflection;
using Functions.Common.Http;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Publisher.Contracts;
using Publisher.Contracts.ApiDocs;
using Publisher.OpenApi.Internal;

namespace Publisher.OpenApi.Tests;

/// <summary>The checked-in document, read back by Microsoft.OpenApi's reader: valid OpenAPI 3.1, and it says what the contract says.</summary>
public sealed class OpenApiDocumentTests
{
    private static readonly Lazy<(OpenApiDocument Document, OpenApiDiagnostic Diagnostic)> Read = new(() =>
    {
        var result = OpenApiDocument.Parse(Repository.Read("docs/openapi.json"), OpenApiConstants.Json);
        return (result.Document!, result.Diagnostic!);
    });

    private static OpenApiDocument Document => Read.Value.Document;

    [Fact]
    public void CheckedIn_Document_ReadsAsOpenApi31WithoutErrorsOrWarnings()
    {
        var diagnostic = Read.Value.Diagnostic;

        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, diagnostic.SpecificationVersion);
        Assert.Empty(diagnostic.Errors);
        Assert.Empty(diagnostic.Warnings);
    }

    [Fact]
    public void CheckedIn_Document_PassesTheLibrarysValidator()
    {
        var errors = Document.Validate(ValidationRuleSet.GetDefaultRuleSet());

        Assert.Empty(errors ?? []);
    }

    [Fact]
    public void Validator_DocumentWithAnUndeclaredPathParameter_IsRefused()
    {
        // The validator is not a formality: a broken copy of the document fails it.
        var broken = OpenApiDocument.Parse(Repository.Read("docs/openapi.json").Replace("\"/topics/{topicName}\"", "\"/topics/{topic}\"", StringComparison.Ordinal), OpenApiConstants.Json);

        var errors = (broken.Document!.Validate(ValidationRuleSet.GetDefaultRuleSet()) ?? []).Select(e => e.Message)
            .Concat(broken.Diagnostic!.Errors.Select(e => e.Message));

        Assert.NotEmpty(errors);
    }

    [Theory]
    [InlineData("/topics", "POST")]
    [InlineData("/topics/{topicName}", "POST")]
    [InlineData("/batch", "POST")]
    [InlineData("/verify", "GET")]
    [InlineData("/verify", "POST")]
    public void Operation_ApiRoute_NeedsTheApiKeyOrSigV4AndAnswersEveryProblemWithItsType(string path, string method)
    {
        var operation = Document.Paths[path].Operations![HttpMethod.Parse(method)];

        Assert.Null(operation.Security);
        Assert.Equal(
            [[ApiDocument.ApiKeyScheme], [ApiDocument.SigV4Scheme], [ApiDocument.JwtScheme]],
            Document.Security!.Select(requirement => requirement.Keys.Select(k => k.Reference.Id!).ToArray()).ToArray());
        var scope = path == "/verify" ? (method == "GET" ? ProblemScope.VerifyGet : ProblemScope.VerifyPost) : ProblemScope.Publish;
        var expected = ProblemCatalog.All.Where(e => (e.Scope & scope) != 0).SelectMany(e => e.Statuses).Distinct().Order();
        var problemStatuses = operation.Responses!.Where(r => r.Value.Content!.ContainsKey(MediaTypes.ProblemJson)).Select(r => int.Parse(r.Key, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(expected, problemStatuses.Order());
        Assert.All(operation.Responses!.Where(r => r.Key is "429" or "503"), r => Assert.True(r.Value.Headers!.ContainsKey("Retry-After"), $"{r.Key} without Retry-After"));
        Assert.Contains("400", operation.Responses!.Keys);
        Assert.Contains("401", operation.Responses!.Keys);
        Assert.Contains("429", operation.Responses!.Keys);
    }

    [Fact]
    public void Operation_Publish_AnswersUnavailableWithRetryAfterAndTheAllowlistsForbiddenTopic()
    {
        var responses = Document.Paths["/topics"].Operations![HttpMethod.Post].Responses!;

        Assert.True(responses["503"].Headers!.ContainsKey("Retry-After"));
        Assert.Contains(ProblemSchemas.ComponentName(HttpContract.ProblemTypes.ForbiddenTopic), Refs(responses["403"]));
        Assert.Contains(ProblemSchemas.ComponentName(HttpContract.ProblemTypes.Unauthorized), Refs(responses["403"]));
    }

    [Fact]
    public void SecuritySchemes_AreTheApiKeyHeaderSigV4AndAJwtBearer()
    {
        var schemes = Document.Components!.SecuritySchemes!;

        Assert.Equal(SecuritySchemeType.Http, schemes[ApiDocument.JwtScheme].Type);
        Assert.Equal("bearer", schemes[ApiDocument.JwtScheme].Scheme);
        Assert.Equal("JWT", schemes[ApiDocument.JwtScheme].BearerFormat);
        Assert.Contains("lambda", schemes[ApiDocument.SigV4Scheme].Description, StringComparison.Ordinal);

        Assert.Equal(SecuritySchemeType.ApiKey, schemes[ApiDocument.ApiKeyScheme].Type);
        Assert.Equal(ParameterLocation.Header, schemes[ApiDocument.ApiKeyScheme].In);
        Assert.Equal("x-api-key", schemes[ApiDocument.ApiKeyScheme].Name);
        Assert.Equal("Authorization", schemes[ApiDocument.SigV4Scheme].Name);
        Assert.Equal("\"awsSigv4\"", ((JsonNodeExtension)schemes[ApiDocument.SigV4Scheme].Extensions!["x-amazon-apigateway-authtype"]).Node.ToJsonString());
    }

    [Theory]
    [InlineData("/openapi.json")]
    [InlineData("/problems")]
    [InlineData("/problems/{slug}")]
    public void Operation_Documentation_NeedsNoCredentials(string path)
    {
        var operation = Document.Paths[path].Operations![HttpMethod.Get];

        Assert.NotNull(operation.Security);
        Assert.Empty(operation.Security);
    }

    [Fact]
    public void ProblemTypes_EveryTypeOfTheContract_HasACatalogEntryAndASchema()
    {
        var slugs = typeof(HttpContract.ProblemTypes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name != nameof(HttpContract.ProblemTypes.DefaultBaseUri))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Order(StringComparer.Ordinal);

        Assert.Equal(slugs, ProblemCatalog.All.Select(e => e.Slug).Order(StringComparer.Ordinal));
        Assert.All(ProblemCatalog.All, e => Assert.True(Document.Components!.Schemas!.ContainsKey(ProblemSchemas.ComponentName(e.Slug)), e.Slug));
        Assert.Equal(
            slugs,
            Document.Paths["/problems/{slug}"].Operations![HttpMethod.Get].Parameters![0].Schema!.Enum!.Select(n => n!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void RequestAgreement_SchemaWithoutAMemberOfTheRecord_StopsTheDocument()
    {
        var schema = ContractSchemas.PublishRequest();
        var missing = schema with { Properties = [.. schema.Properties!.Where(p => p.Key != "topicValueBase64")] };
        var retyped = schema with
        {
            Properties = [.. schema.Properties!.Select(p => p.Key == "topicName" ? new(p.Key, p.Value with { Kind = SchemaKind.Integer }) : p)],
        };

        var e1 = Assert.Throws<InvalidOperationException>(() => RequestAgreement.Check(missing, PublisherJsonContext.Default.PublishRequest));
        var e2 = Assert.Throws<InvalidOperationException>(() => RequestAgreement.Check(retyped, PublisherJsonContext.Default.PublishRequest));
        Assert.Contains("'topicValueBase64'", e1.Message, StringComparison.Ordinal);
        Assert.Contains("'topicName'", e2.Message, StringComparison.Ordinal);
    }

    private static IEnumerable<string> Refs(IOpenApiResponse response)
    {
        var schema = response.Content![MediaTypes.ProblemJson].Schema!;
        return schema is OpenApiSchemaReference single ? [single.Reference.Id!] : schema.OneOf!.Select(s => ((OpenApiSchemaReference)s).Reference.Id!);
    }
}
