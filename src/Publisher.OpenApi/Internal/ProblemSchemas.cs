using System.Globalization;
using Microsoft.OpenApi;
using Publisher.Contracts;
using Publisher.Contracts.ApiDocs;

namespace Publisher.OpenApi.Internal;

/// <summary>
/// A component schema per problem type (the problem document with that type's <c>type</c> and statuses, described by
/// its catalog entry), and each operation's error responses: every status its problem types come with, from the
/// catalog's scopes.
/// </summary>
internal static class ProblemSchemas
{
    public const string RetryAfterHeader = "Retry-After";

    /// <summary>The component name of a problem type's schema, e.g. <c>RateLimitedProblem</c>.</summary>
    public static string ComponentName(string slug) =>
        string.Concat(slug.Split('-').Select(word => char.ToUpperInvariant(word[0]) + word[1..])) + "Problem";

    /// <summary>A pattern matching a <c>type</c> URI of one of <paramref name="slugs"/>, whatever the base.</summary>
    public static string TypePattern(IEnumerable<string> slugs) =>
        HttpContract.ProblemsPath + "/(?:" + string.Join('|', slugs) + ")(?![\\s\\S])";

    public static void AddComponents(OpenApiDocument document, OpenApiSchemaReference problemDetails)
    {
        var components = document.Components!;
        components.Headers ??= new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal);
        components.Headers[RetryAfterHeader] = new OpenApiHeader
        {
            Description = "Seconds to wait before retrying (throttling, Momento's rate limit, Momento unavailable). A used-up daily quota has none: it resets at midnight UTC.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "0" },
        };

        foreach (var entry in ProblemCatalog.All)
        {
            components.Schemas![ComponentName(entry.Slug)] = new OpenApiSchema
            {
                Title = entry.Title,
                Description = $"Problem type `{entry.Slug}` (HTTP {string.Join(" or ", entry.Statuses)}). {entry.Meaning}\n\nWhat to do: {entry.WhatToDo}",
                AllOf =
                [
                    problemDetails,
                    new OpenApiSchema
                    {
                        Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
                        {
                            ["type"] = new OpenApiSchema { Pattern = TypePattern([entry.Slug]) },
                            ["status"] = new OpenApiSchema { Enum = [.. entry.Statuses.Select(s => (System.Text.Json.Nodes.JsonNode)s)] },
                        },
                    },
                ],
            };
        }
    }

    /// <summary>The error responses of an operation in <paramref name="scope"/>, by status.</summary>
    public static IEnumerable<(string Status, OpenApiResponse Response)> Responses(OpenApiDocument document, ProblemScope scope)
    {
        var byStatus = ProblemCatalog.All
            .Where(e => (e.Scope & scope) != 0)
            .SelectMany(e => e.Statuses.Select(status => (Status: status, Entry: e)))
            .GroupBy(p => p.Status)
            .OrderBy(g => g.Key);
        foreach (var group in byStatus)
        {
            var entries = group.Select(p => p.Entry).ToList();
            var schemas = entries.Select(e => (IOpenApiSchema)new OpenApiSchemaReference(ComponentName(e.Slug), document)).ToList();
            var response = new OpenApiResponse
            {
                Description = string.Join(" Or: ", entries.Select(e => $"`{e.Slug}`: {e.Title}")),
                Content = new Dictionary<string, IOpenApiMediaType>(StringComparer.Ordinal)
                {
                    [HttpContract.ProblemMediaType] = new OpenApiMediaType { Schema = schemas.Count == 1 ? schemas[0] : new OpenApiSchema { OneOf = schemas } },
                },
            };
            if (entries.Any(e => e.RetryAfter))
            {
                response.Headers = new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal)
                {
                    [RetryAfterHeader] = new OpenApiHeaderReference(RetryAfterHeader, document),
                };
            }

            yield return (group.Key.ToString(CultureInfo.InvariantCulture), response);
        }
    }
}
