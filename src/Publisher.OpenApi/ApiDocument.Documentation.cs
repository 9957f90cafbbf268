using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Publisher.Contracts.ApiDocs;
using static Publisher.Contracts.HttpContract;

namespace Publisher.OpenApi;

/// <summary>The documentation routes: this document and the problem types' pages, which need no credentials.</summary>
public static partial class ApiDocument
{
    private static void AddDocumentationPaths(OpenApiDocument document)
    {
        var openApi = new OpenApiPathItem { Operations = [] };
        openApi.Operations[HttpMethod.Get] = Public(document, "getOpenApi", "This document", "The API's OpenAPI 3.1 document; the deployed API names itself as the server.",
            JsonMediaType, new OpenApiSchema { Type = JsonSchemaType.Object });
        document.Paths[OpenApiPath] = openApi;

        var index = new OpenApiPathItem { Operations = [] };
        index.Operations[HttpMethod.Get] = Public(document, "listProblemTypes", "The problem types", "An HTML page listing every problem type, each linked to its page.",
            "text/html", new OpenApiSchema { Type = JsonSchemaType.String });
        document.Paths[ProblemsPath] = index;

        var page = new OpenApiPathItem { Operations = [] };
        page.Operations[HttpMethod.Get] = Public(document, "getProblemType", "One problem type", "The HTML page a problem's `type` URI points at: what the problem means and what to do.",
            "text/html", new OpenApiSchema { Type = JsonSchemaType.String });
        page.Operations[HttpMethod.Get].Parameters =
        [
            new OpenApiParameter
            {
                Name = "slug",
                In = ParameterLocation.Path,
                Required = true,
                Description = "The last segment of a problem's `type`.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. ProblemCatalog.All.Select(e => (JsonNode)e.Slug)] },
            },
        ];
        document.Paths[ProblemsPath + "/{slug}"] = page;
    }

    private static OpenApiOperation Public(OpenApiDocument document, string id, string summary, string description, string mediaType, OpenApiSchema schema)
    {
        var operation = Operation(document, id, Documentation, summary, description, null, ProblemScope.None, ("200", new OpenApiResponse
        {
            Description = summary + ".",
            Content = new Dictionary<string, IOpenApiMediaType>(StringComparer.Ordinal) { [mediaType] = new OpenApiMediaType { Schema = schema } },
        }));
        operation.Security = [];
        return operation;
    }
}
