using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Publisher.Contracts;
using Publisher.Contracts.ApiDocs;
using Publisher.OpenApi.Internal;
using static Publisher.Contracts.HttpContract;

namespace Publisher.OpenApi;

/// <summary>
/// The API's OpenAPI 3.1 document, built from the contract: request bodies from the shared schemas the stack's
/// API Gateway models are rendered from, response bodies from the functions' source-generated records, every
/// error response from the problem catalog, limits and paths from <see cref="HttpContract"/>.
/// </summary>
public static partial class ApiDocument
{
    /// <summary>The document's <c>info.version</c>: the contract's version, raised when the contract changes.</summary>
    public const string ContractVersion = "1.1.0";

    /// <summary>The security scheme of the API key (<c>authMode=apiKey</c>, the default).</summary>
    public const string ApiKeyScheme = "apiKey";

    /// <summary>The security scheme of SigV4 (<c>authMode=iam</c>, an HTTP API's IAM auth, function URLs).</summary>
    public const string SigV4Scheme = "sigv4";

    /// <summary>The security scheme of a JWT bearer token (an HTTP API's JWT authorizer).</summary>
    public const string JwtScheme = "jwt";

    private static readonly string[] Publish = ["publish"];
    private static readonly string[] Verify = ["verify"];
    private static readonly string[] Documentation = ["documentation"];

    /// <summary>Builds the document.</summary>
    public static OpenApiDocument Build()
    {
        var document = new OpenApiDocument
        {
            Info = new OpenApiInfo
            {
                Title = "Momento Topics publisher API",
                Version = ContractVersion,
                Summary = "Publishes to Momento Topics over HTTP and verifies delivery.",
                Description =
                    "Publish text or bytes to a Momento topic (`POST /topics`, `POST /topics/{topicName}`, `POST /batch`) and check " +
                    "that published values reach a subscriber (`GET`/`POST /verify`). Every error is an RFC 9457 problem " +
                    "(`application/problem+json`) whose `type` is the address of its documentation page, `<base>" + ProblemsPath +
                    "/<slug>`; `GET " + ProblemsPath + "` lists them. The deployed API authenticates as its front door does: a REST API " +
                    "with an API key (`x-api-key`) or SigV4 (`authMode`), an HTTP API with SigV4 or a JWT (`httpApiAuth`), function " +
                    "URLs with SigV4 for the service `lambda`. This document and the problem pages need none (behind function URLs " +
                    "they are signed like every request), nor does the local runner unless started with `--api-key`.",
            },
            Servers =
            [
                new OpenApiServer { Url = "http://127.0.0.1:3000", Description = "The local runner (dotnet run --project src/Publisher.Local)." },
                new OpenApiServer
                {
                    Url = "https://{restApiId}.execute-api.{region}.amazonaws.com/prod",
                    Description = "A deployed stack (its ApiUrl output). The deployed API serves this document with its own address here.",
                    Variables = new Dictionary<string, OpenApiServerVariable>(StringComparer.Ordinal)
                    {
                        ["restApiId"] = new() { Default = "abcdef1234", Description = "The REST API's id." },
                        ["region"] = new() { Default = "us-east-1", Description = "The stack's AWS region." },
                    },
                },
            ],
            Paths = [],
            Components = new OpenApiComponents
            {
                Schemas = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal),
                SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal)
                {
                    [ApiKeyScheme] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.ApiKey,
                        In = ParameterLocation.Header,
                        Name = "x-api-key",
                        Description = "The stack's API key (authMode=apiKey, the default): its GetApiKeyCommand output prints it. The local runner demands it when started with --api-key.",
                    },
                    [SigV4Scheme] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.ApiKey,
                        In = ParameterLocation.Header,
                        Name = "Authorization",
                        Description = "AWS Signature Version 4: for the service execute-api on a REST API (authMode=iam) or an HTTP API (httpApiAuth=iam), " +
                            "by credentials allowed execute-api:Invoke on the API; for the service lambda on function URLs (frontDoor=functionUrl), " +
                            "by credentials allowed lambda:InvokeFunctionUrl and lambda:InvokeFunction.",
                        Extensions = new Dictionary<string, IOpenApiExtension>(StringComparer.Ordinal)
                        {
                            ["x-amazon-apigateway-authtype"] = new JsonNodeExtension(JsonValue.Create("awsSigv4")),
                        },
                    },
                    [JwtScheme] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.Http,
                        Scheme = "bearer",
                        BearerFormat = "JWT",
                        Description = "A JWT from the stack's jwtIssuer for one of its jwtAudience, checked by the HTTP API's JWT authorizer (frontDoor=httpApi, httpApiAuth=jwt).",
                    },
                },
            },
            Tags = new HashSet<OpenApiTag>
            {
                new() { Name = Publish[0], Description = "Publish to a topic." },
                new() { Name = Verify[0], Description = "Listen to a topic for a while and report what arrived (the companion subscriber)." },
                new() { Name = Documentation[0], Description = "This document and the problem types' pages; no credentials needed." },
            },
        };

        // One scheme, as the stack's front door and its auth setting decide.
        document.Security =
        [
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, document)] = [] },
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SigV4Scheme, document)] = [] },
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(JwtScheme, document)] = [] },
        ];

        var records = new RecordSchemas(document);
        var problemDetails = records.Component(ProblemJsonContext.Default.ProblemDetails,
            "An RFC 9457 problem: every error the API answers. `status` is left out only by API Gateway's catch-all answers for statuses no other type covers.");
        var details = (OpenApiSchema)document.Components.Schemas![nameof(ProblemDetails)];
        details.Required!.Remove("status");
        var typeMember = (OpenApiSchema)details.Properties!["type"];
        // A reference, not always absolute: behind function URLs the publisher's types are paths, resolved against the URL called.
        typeMember.Format = "uri-reference";
        typeMember.Description = $"The problem type: the address of its documentation page, `<base>{ProblemsPath}/<slug>` (the deployed API's own pages, or the local runner's; behind function URLs the publisher's is the path `{ProblemsPath}/<slug>`, resolved against the URL called). Compare it as a whole, or by its last segment across deployments.";
        ((OpenApiSchema)details.Properties["field"]).Description = "The request member at fault, as a JSON path (`topicName`, `messages[3].topicValue`, `['a b']`).";
        ((OpenApiSchema)details.Properties["requestId"]).Description = "API Gateway's request id, to quote to the operators.";
        ProblemSchemas.AddComponents(document, problemDetails);

        // The request schemas are the stack's; the records are what the functions read. They must agree.
        var publishNode = ContractSchemas.PublishRequest();
        var batchNode = ContractSchemas.BatchRequest();
        var verifyNode = ContractSchemas.VerifyRequest();
        RequestAgreement.Check(publishNode, PublisherJsonContext.Default.PublishRequest);
        RequestAgreement.Check(batchNode, PublisherJsonContext.Default.BatchRequest);
        RequestAgreement.Check(verifyNode, SubscriberJsonContext.Default.VerifyRequestBody);

        var publishRequest = Named(document, publishNode);
        var batchRequest = Named(document, batchNode);
        var verifyRequest = Named(document, verifyNode);
        var published = records.Component(PublisherJsonContext.Default.PublishResponse, "The message was published.");
        var batch = records.Component(PublisherJsonContext.Default.BatchResponse,
            "The outcome of each message, in order: `status` 200 with `bytes`, or the message's problem.");
        var verified = records.Component(SubscriberJsonContext.Default.VerifyResult,
            "What the verification session saw: items with sequence numbers, heartbeats, discontinuities.");

        var idempotencyKey = IdempotencyDocument.KeyParameter();
        var replayed = IdempotencyDocument.Replayable(Ok(IdempotencyDocument.ReplayableDescription, published));

        var topics = new OpenApiPathItem { Operations = [] };
        topics.Operations[HttpMethod.Post] = Operation(document, "publish", Publish, "Publish one message",
            "Publishes `topicValue` as text or the bytes of `topicValueBase64` to `topicName`.",
            Json(publishRequest), ProblemScope.Publish, ("200", replayed));
        topics.Operations[HttpMethod.Post].Parameters = [idempotencyKey];
        document.Paths["/topics"] = topics;

        var byName = new OpenApiPathItem { Operations = [] };
        byName.Operations[HttpMethod.Post] = Operation(document, "publishRaw", Publish, "Publish the request body",
            $"Publishes the body as it is to the topic in the path (percent-encoded; `%2F` for a `/` in the name). `text/*` and JSON bodies are published as text (UTF-8 only), every other media type as bytes; at most {MaxValueBytes} bytes.",
            RawBody(), ProblemScope.Publish, ("200", replayed));
        byName.Operations[HttpMethod.Post].Parameters =
        [
            idempotencyKey,
            new OpenApiParameter
            {
                Name = "topicName",
                In = ParameterLocation.Path,
                Required = true,
                Schema = SchemaRendering.ToOpenApi(ContractSchemas.TopicName("The topic to publish to.")),
            },
        ];
        document.Paths["/topics/{topicName}"] = byName;

        var batchPath = new OpenApiPathItem { Operations = [] };
        batchPath.Operations[HttpMethod.Post] = Operation(document, "publishBatch", Publish, "Publish up to 100 messages",
            $"Validates the whole batch first (one invalid message refuses it, naming `messages[i]`, and nothing is published), then publishes the messages concurrently. 200 when every message was published, 207 when some were not.",
            Json(batchRequest), ProblemScope.Publish,
            ("200", Ok("Every message was published.", batch)),
            ("207", Ok("Some messages were not published: each result says which and why.", batch)));
        document.Paths["/batch"] = batchPath;

        var verify = new OpenApiPathItem { Operations = [] };
        verify.Operations[HttpMethod.Get] = Operation(document, "verifyGet", Verify, "Verify delivery (query)",
            "Subscribes to `topic` and reports what arrives until the condition holds or `listenMs` is over; the query takes the members of the JSON request.",
            null, ProblemScope.VerifyGet, ("200", Ok("The session's report (`conditionMet` says whether the condition held).", verified)));
        verify.Operations[HttpMethod.Get].Parameters = [.. verifyNode.Properties!.Select(p => (IOpenApiParameter)new OpenApiParameter
        {
            Name = p.Key,
            In = ParameterLocation.Query,
            Required = verifyNode.Required!.Contains(p.Key),
            Description = p.Value.Description,
            Schema = SchemaRendering.ToOpenApi(p.Value with { Description = null }),
        })];
        verify.Operations[HttpMethod.Post] = Operation(document, "verifyPost", Verify, "Verify delivery (JSON)",
            "Subscribes to `topic` and reports what arrives until the condition holds or `listenMs` is over.",
            Json(verifyRequest), ProblemScope.VerifyPost, ("200", Ok("The session's report (`conditionMet` says whether the condition held).", verified)));
        document.Paths["/verify"] = verify;

        AddDocumentationPaths(document);
        return document;
    }

    /// <summary>The document as OpenAPI 3.1 JSON, as checked in at docs/openapi.json (indented, LF line ends, final newline).</summary>
    public static string ToJson()
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        Build().SerializeAsV31(new OpenApiJsonWriter(text));
        return text.ToString().ReplaceLineEndings("\n") + "\n";
    }

    private static OpenApiSchemaReference Named(OpenApiDocument document, SchemaNode node)
    {
        document.Components!.Schemas![node.Title!] = SchemaRendering.ToOpenApi(node);
        return new OpenApiSchemaReference(node.Title!, document);
    }

    private static OpenApiOperation Operation(
        OpenApiDocument document, string id, string[] tags, string summary, string description, OpenApiRequestBody? body, ProblemScope scope, params (string Status, OpenApiResponse Response)[] successes)
    {
        var operation = new OpenApiOperation
        {
            OperationId = id,
            Summary = summary,
            Description = description,
            RequestBody = body,
            Responses = [],
        };
        operation.Tags = new HashSet<OpenApiTagReference>(tags.Select(t => new OpenApiTagReference(t, document)));
        foreach (var (status, response) in successes)
        {
            operation.Responses[status] = response;
        }

        foreach (var (status, response) in ProblemSchemas.Responses(document, scope))
        {
            operation.Responses[status] = response;
        }

        return operation;
    }

    private static OpenApiResponse Ok(string description, IOpenApiSchema schema) => new()
    {
        Description = description,
        Content = new Dictionary<string, IOpenApiMediaType>(StringComparer.Ordinal) { [JsonMediaType] = new OpenApiMediaType { Schema = schema } },
    };

    private static OpenApiRequestBody Json(IOpenApiSchema schema) => new()
    {
        Required = true,
        Content = new Dictionary<string, IOpenApiMediaType>(StringComparer.Ordinal) { [JsonMediaType] = new OpenApiMediaType { Schema = schema } },
    };

    private static OpenApiRequestBody RawBody() => new()
    {
        Required = true,
        Description = "Any media type: the stack's binary media types (application/octet-stream, image/*, ...) and any other non-text type are published as bytes; text/* and application/json as UTF-8 text.",
        Content = new Dictionary<string, IOpenApiMediaType>(StringComparer.Ordinal)
        {
            ["text/plain"] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
            ["application/octet-stream"] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, ContentMediaType = "application/octet-stream" } },
            ["*/*"] = new OpenApiMediaType(),
        },
    };
}
